#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The long robustness runs, one guest per kernel: mixed stress, fuzzing, scale.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/vm-robust.sh stress|fuzz|scale ID...
#   stress  case stress-10-mixed: STRESS_SECS (default 600) per lower
#   fuzz    cases fuzz-*: FUZZ_CALLS random ioctls (default 100000) and
#           FUZZ_ROUNDS damaged objects (default 400) per kernel, spread over
#           the lowers; FUZZ_MOUNTS random mounts (default 1000); FUZZ_SEED;
#           FUZZ_CASES a glob of the cases to run (default fuzz-*)
#   scale   case scale-10-many: SCALE_FILES verity files (default 100000)
#   STRESS_FS / FUZZ_FS: the lowers (default all four); scale runs on ext4.
# ext4, xfs and btrfs get virtio disks (build/vm/ID/KIND/*.img, sparse), so the
# guest's memory is its own. Prints TAP; the figures ("# [fs] ..." lines) are
# in build/vm/ID/KIND/figures.txt. VERITYFS_PREBUILT=1 as in vm-persist.sh.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kind=${1:-}; shift || true
case $kind in
stress)
	secs=${STRESS_SECS:-600}
	cases="stress-*"
	append="vx.stress_secs=$secs${STRESS_FS:+ vx.stress_fs=\"$STRESS_FS\"}"
	nfs=$(echo "${STRESS_FS:-ext4 xfs btrfs tmpfs}" | wc -w)
	timeout=$((nfs * (secs + 240) + 300)) ;;
fuzz)
	cases=${FUZZ_CASES:-fuzz-*}
	nfs=$(echo "${FUZZ_FS:-ext4 xfs btrfs tmpfs}" | wc -w)
	append="vx.fuzz_calls=$(( ${FUZZ_CALLS:-100000} / nfs )) vx.fuzz_rounds=$(( ${FUZZ_ROUNDS:-400} / nfs ))"
	append="$append vx.fuzz_mounts=${FUZZ_MOUNTS:-1000} vx.fuzz_seed=${FUZZ_SEED:-1}${FUZZ_FS:+ vx.fuzz_fs=\"$FUZZ_FS\"}"
	timeout=${FUZZ_TIMEOUT:-5400} ;;
scale)
	cases="scale-*"
	append="vx.scale_files=${SCALE_FILES:-100000}"
	VX_MEM=${VX_MEM:-2048}
	# 100,000 verity files and their objects filled a 2 GiB ext4 at 96,139.
	disk=8G
	timeout=${SCALE_TIMEOUT:-7200} ;;
*) die "usage: vm-robust.sh stress|fuzz|scale ID..." ;;
esac
[ $# -gt 0 ] || die "usage: vm-robust.sh $kind ID..."

fail=0
for id in "$@"; do
	start=$(date +%s)
	out=$VERITYFS_TOP/build/vm/$id/$kind
	mkdir -p "$out"
	vm_prepare "$id" "$out" > "$out/build.log" 2>&1
	case $? in
	2) echo "not ok - [$id] $kind: build the module (see $out/build.log)"; fail=1; continue ;;
	3) echo "not ok - [$id] $kind: initramfs: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"
	   fail=1; continue ;;
	esac
	drives=
	for fs in ext4 xfs btrfs; do
		rm -f "$out/$fs.img"
		truncate -s "${disk:-2G}" "$out/$fs.img"
		drives="$drives $out/$fs.img"
	done
	VX_DRIVES=$drives VX_MEM=${VX_MEM:-1024} VX_TIMEOUT=$timeout VX_CASE_TIMEOUT=$((timeout - 60)) \
		VX_APPEND="$append" "$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$out" "$cases" ||
		fail=1
	tr -d '\r' < "$out/result.tap" 2>/dev/null | grep -E '^# (\[|stress|fuzz|scale)' | tee "$out/figures.txt"
	rm -f "$out"/*.img
	echo "# [$id] $kind took $(( $(date +%s) - start )) s"
done
exit $fail
