#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the guest test suite on kernels of the matrix: build the module for each
# kernel, pack an initramfs, boot it, and print TAP lines.
#
# usage: scripts/vm-suite.sh ID...
# Environment: CASES   space-separated globs of test/vm/cases names
#                      (default: every case but broken-*)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: vm-suite.sh ID..."
fail=0
for id in "$@"; do
	out=$VERITYFS_TOP/build/vm/$id
	mkdir -p "$out"
	"$VERITYFS_TOP/scripts/matrix-build.sh" "$id" || { fail=1; continue; }
	VERITYFS_SELFTEST=y "$VERITYFS_TOP/scripts/matrix-build.sh" "$id" || { fail=1; continue; }
	if ! "$VERITYFS_TOP/scripts/mkinitramfs.sh" "$id" "$VERITYFS_TOP/build/matrix/$id/verityfs.ko" \
		"$out/initrd.gz" "$VERITYFS_TOP/build/matrix/$id-selftest/verityfs.ko" \
		> "$out/mkinitramfs.log" 2>&1; then
		echo "not ok - [$id] initramfs: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"
		fail=1
		continue
	fi
	start=$(date +%s)
	"$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$out" "${CASES:-}" || fail=1
	echo "# [$id] guest run took $(( $(date +%s) - start )) s"
done
exit $fail
