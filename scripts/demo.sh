#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: fetch a stock Debian kernel, build verityfs against it, boot it
# under QEMU and show verityfs at work in the guest.
#
# usage: scripts/demo.sh [ID]     (default 6.1)
# Copyright (C) 2026 The verityfs authors
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:-6.1}
"$VERITYFS_TOP/scripts/install-deps.sh" || exit 1
out=$VERITYFS_TOP/build/demo/$id
mkdir -p "$out"
note "building verityfs for Debian's $(kernel_field "$id" suite) kernel $id (the first run downloads it)"
vm_prepare "$id" "$out"
case $? in
0) ;;
3) die "initramfs: see $out/mkinitramfs.log" ;;
*) exit 1 ;;
esac
note "booting it under QEMU"
"$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$out" demo-verityfs > "$out/result.txt"
rc=$?
tr -d '\r' < "$out/console.log" | sed -n 's/^demo\(#\|  \)/\1/p'
cat "$out/result.txt"
exit $rc
