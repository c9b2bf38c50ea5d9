# SPDX-License-Identifier: GPL-2.0-only
# Static gates: file headers, header guards, compat isolation, core purity,
# module symbols, checkpatch.pl --strict, shellcheck, codespell (make style).
# Copyright (C) 2026 The verityfs authors
#
# Variables:
#   CHECKPATCH=PATH       use this checkpatch.pl instead of Debian's linux-source one
#   CHECKPATCH_SOURCE     the linux-source package to take it from (default linux-source-6.12)

STYLE_APT_PACKAGES := shellcheck codespell perl git

.PHONY: style

style: ## static gates: headers, guards, compat/core/symbols, checkpatch --strict, shellcheck, codespell
	@scripts/check-style.sh
