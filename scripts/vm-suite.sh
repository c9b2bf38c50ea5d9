#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run the guest test suite on kernels of the matrix: build the module for each
# kernel, pack an initramfs, boot it, and print TAP lines.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/vm-suite.sh ID...
# Environment: CASES   space-separated globs of test/vm/cases names
#                      (default: every case but broken-*)
#              VERITYFS_PREBUILT=1: lib.sh vm_prepare
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: vm-suite.sh ID..."
fail=0
for id in "$@"; do
	out=$VERITYFS_TOP/build/vm/$id
	vm_guest "$id" "$out" "${CASES:-}"
	case $? in
	0) ;;
	3) echo "not ok - [$id] initramfs: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"; fail=1 ;;
	*) fail=1 ;;
	esac
done
exit $fail
