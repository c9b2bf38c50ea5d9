# SPDX-License-Identifier: GPL-2.0-only
# Deliberately broken: a wrong result must fail the run with a clear message.
# Copyright (C) 2026 The verityfs authors
check_eq "the empty file's sha256 digest is all ones (it is not)" \
	"sha256:$(printf '%064d' 1 | tr 0 1)" \
	"$(grep '^0 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)"
