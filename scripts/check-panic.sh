#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# errors=panic in a VM boot of its own: the guest mounts verityfs with
# errors=panic and reads a corrupted block (test/vm/cases/panic-errors.sh).
# Passes only when the console shows verityfs's panic naming the mount, the
# inode and the position the case announced; fails when the guest finishes
# (any verdict), panics for another reason, or never reaches the read.
#
# usage: scripts/check-panic.sh [ID...]   (default 6.1)
# Environment: VERITYFS_PREBUILT=1 uses the module and initramfs the vm stage
#              has just made (make check; lib.sh vm_prepare).
# Copyright (C) 2026 The verityfs authors
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || set -- 6.1
fail=0
for id in "$@"; do
	out=$VERITYFS_TOP/build/vm-panic/$id
	mkdir -p "$out"
	VX_CASE_TIMEOUT=120 VX_TIMEOUT=400 vm_guest "$id" "$out" panic-errors > "$out/vm-run.log" 2>&1
	case $? in
	2) echo "not ok - [$id] errors=panic: module build failed"; fail=1; continue ;;
	3) echo "not ok - [$id] errors=panic: initramfs failed"; fail=1; continue ;;
	esac
	tap=$(tr -d '\r' < "$out/result.tap" 2>/dev/null)
	con=$(tr -d '\r' < "$out/console.log" 2>/dev/null)
	expect=$(echo "$tap" | sed -n 's/^# panic-expect //p' | tail -n1)
	dev=$(echo "$expect" | sed -n 's/.*dev=\([^ ]*\).*/\1/p')
	ino=$(echo "$expect" | sed -n 's/.*inode=\([^ ]*\).*/\1/p')
	pos=$(echo "$expect" | sed -n 's/.*pos=\([^ ]*\).*/\1/p')
	want="Kernel panic - not syncing: verityfs ($dev, inode $ino): corrupted data at pos=$pos (mounted with errors=panic)"
	why=
	if echo "$tap" | grep -q '^VERDICT'; then
		why="the guest finished ($(echo "$tap" | grep '^VERDICT')) instead of panicking"
	elif echo "$tap" | grep -q '^not ok'; then
		why="the case failed before the read: $(echo "$tap" | grep '^not ok' | head -n1)"
	elif [ -z "$ino" ] || [ -z "$dev" ]; then
		why="the case never announced the corrupted block"
	elif ! echo "$con" | grep -qF "$want"; then
		why="no verityfs panic naming $dev, inode $ino, pos=$pos; console: $(echo "$con" |
			grep -m1 -E 'Kernel panic|BUG:|Oops|WARNING:' || echo 'no panic at all')"
	elif ! echo "$con" | grep -qE "verityfs \($dev, inode $ino\): FILE CORRUPTED! pos=$pos, "; then
		why="the panic came without the FILE CORRUPTED line for pos=$pos"
	elif [ "$(echo "$con" | grep -v 'end Kernel panic' | grep -c 'Kernel panic - not syncing')" != 1 ] ||
	     echo "$con" | grep -qE 'BUG:|Oops|WARNING:'; then
		why="more than the one verityfs panic in the console"
	fi
	if [ -z "$why" ]; then
		echo "ok - [$id] errors=panic: $want"
	else
		echo "not ok - [$id] errors=panic: $why (console: $out/console.log)"
		echo "$con" | grep -v '^\s*$' | tail -n 15 | sed 's/^/#   /'
		fail=1
	fi
done
exit $fail
