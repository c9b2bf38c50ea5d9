#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Count TAP lines in FILE (or stdin) and print the summary line CI reads:
# "N passed, N failed" (", N skipped" when some were skipped). The failures
# are repeated just above it. Exit 1 when anything failed. "not ok ... # TODO"
# lines (TAP's known, not yet fixed findings) are counted apart, not as failures.
# usage: tap-summary.sh [FILE]
# Copyright (C) 2026 The verityfs authors
f=${1:-/dev/stdin}
awk '
	/^not ok/ && /# TODO/ { todo++; next }
	/^not ok/ { failed++; bad[failed] = $0; next }
	/^ok/ && /# SKIP/ { skipped++; next }
	/^ok/ { passed++ }
	END {
		if (todo) printf "# %d known findings marked TODO (not failures; see the lines above)\n", todo
		for (i = 1; i <= failed; i++) print "FAILED: " bad[i]
		printf "%d passed, %d failed", passed, failed
		if (skipped) printf ", %d skipped", skipped
		printf "\n"
		exit failed > 0
	}' "$f"
