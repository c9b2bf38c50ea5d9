#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Count TAP lines in FILE (or stdin) and print the summary line CI reads:
# "N passed, N failed" (", N skipped" when some were skipped). The failures
# are repeated just above it. Exit 1 when anything failed.
# usage: tap-summary.sh [FILE]
f=${1:-/dev/stdin}
awk '
	/^not ok/ { failed++; bad[failed] = $0; next }
	/^ok/ && /# SKIP/ { skipped++; next }
	/^ok/ { passed++ }
	END {
		for (i = 1; i <= failed; i++) print "FAILED: " bad[i]
		printf "%d passed, %d failed", passed, failed
		if (skipped) printf ", %d skipped", skipped
		printf "\n"
		exit failed > 0
	}' "$f"
