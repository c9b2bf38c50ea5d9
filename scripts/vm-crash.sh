#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The crash loop: reset the guest at random moments of enables, renames,
# links and unlinks of verity files, reboot, and check every file.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/vm-crash.sh ID...
#   CRASH_ITER crashes (default 50) on three virtio disks kept on the host
#   (ext4, xfs, btrfs: build/vm/ID/crash/*.img). Boot I (case crash-10-loop)
#   checks what crash I-1 left, with the host's digests (stress.tab): every
#   plain file has its bytes or is complete verity with its digest, every
#   file renamed after its enable is verity, no record without its object;
#   orphans are counted. Then it runs the three workloads and resets itself
#   after a random delay (CRASH_SEED picks them). One more boot checks the
#   last crash and unloads the module. Prints TAP and the distribution of
#   outcomes; exit 0 when all passed. tmpfs is not in it: nothing on it
#   survives a reboot. VERITYFS_PREBUILT=1 as in vm-persist.sh.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: vm-crash.sh ID..."
n=${CRASH_ITER:-50}
fail=0
say() { echo "$1 - [$id] crash: $2"; [ "$1" = ok ] || fail=1; }

for id in "$@"; do
	start=$(date +%s)
	out=$VERITYFS_TOP/build/vm/$id/crash
	rm -rf "$out"; mkdir -p "$out"
	vm_prepare "$id" "$out" > "$out/build.log" 2>&1
	case $? in
	2) say "not ok" "build the module (see $out/build.log)"; continue ;;
	3) say "not ok" "initramfs: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"; continue ;;
	esac
	drives=
	for fs in ext4 xfs btrfs; do
		truncate -s 1G "$out/$fs.img"
		drives="$drives $out/$fs.img"
	done
	# One hold of the machine's guest lock for the whole loop: its boots
	# belong together, and waiting for the lock before each would take hours.
	vm_lock
	export VX_NOLOCK=1
	seed0=${CRASH_SEED:-$(date +%s)}
	echo "# [$id] crash: $n crashes, seeds from $seed0"
	resets=0
	for i in $(seq 1 $((n + 1))); do
		seed=$((seed0 + i))
		delay=$((200 + (seed * 7919) % 3000))
		b=$out/boot$i
		lastk=
		[ "$i" -le "$n" ] || lastk=" vx.crash_last=1"
		VX_DRIVES=$drives VX_TIMEOUT=600 VX_CASE_TIMEOUT=500 \
			VX_APPEND="vx.crash_iter=$i vx.crash_seed=$seed vx.crash_delay=$delay$lastk" \
			"$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$b" "crash-*" > "$b.out" 2>&1
		tap=$b/result.tap
		tr -d '\r' < "$tap" 2>/dev/null | grep -E '^not ok ' | sed "s/^not ok - /not ok - [$id] crash boot $i: /"
		grep -q '^not ok' "$tap" 2>/dev/null && fail=1
		tr -d '\r' < "$tap" 2>/dev/null | grep -E '^# \[(ext4|xfs|btrfs)\] iter' >> "$out/checks.txt"
		if [ "$i" -le "$n" ]; then
			if grep -q '^# crash window' "$tap" 2>/dev/null && ! grep -q '^VERDICT' "$tap" &&
				tr -d '\r' < "$b/console.log" | grep -q 'sysrq: Resetting'; then
				resets=$((resets + 1))
			else
				say "not ok" "boot $i was reset in its crash window (see $b/console.log)"
				break
			fi
			# What each disk was doing when the machine died: its last line.
			for fs in ext4 xfs btrfs; do
				l=$(tr -d '\r' < "$tap" | awk -v f="$fs" '$2 == "crashop" && $3 == f' | tail -n 1)
				op=$(echo "$l" | awk '{ print $5 }')
				echo "$fs ${op:-before-first-op} $(echo "$l" | awk '{ print $4 }')" >> "$out/in-flight.txt"
			done
		elif grep -q '^VERDICT PASS' "$tap" 2>/dev/null; then
			say ok "the last boot checked crash $n, unmounted and unloaded cleanly"
		else
			say "not ok" "the last boot (see $b/console.log)"
		fi
	done
	[ "$resets" = "$n" ] && say ok "$n resets, each in the middle of the three workloads"
	bad=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^bad=/) s += substr($i, 5) } END { print s + 0 }' "$out/checks.txt")
	nchk=$(wc -l < "$out/checks.txt")
	if [ "$bad" = 0 ] && [ "$nchk" -ge $((3 * n)) ]; then
		say ok "$nchk checks after a crash: every file plain with its bytes or verity with its digest"
	else
		say "not ok" "checks after a crash: $nchk of $((3 * n)) ran, $bad bad files (see $out/checks.txt)"
	fi
	for fs in ext4 xfs btrfs; do
		echo "# [$id] crash: $fs: in flight at the reset: $(awk -v f="$fs" '$1 == f { c[$2]++ } END { for (k in c) printf "%s=%d ", k, c[k] }' "$out/in-flight.txt" 2>/dev/null)"
		echo "# [$id] crash: $fs: after the reboots: $(awk -v f="[$fs]" '$2 == f {
			for (i = 5; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2]; if (kv[1] == "orphans" && kv[2] > m) m = kv[2] } }
			END { printf "verity=%d plain=%d plain_now_verity=%d bad=%d missing=%d orphans_at_end=%d", s["verity"], s["plain"], s["plain_now_verity"], s["bad"], s["missing"], m }' "$out/checks.txt")"
	done
	rm -f "$out"/*.img
	echo "# [$id] crash: took $(( $(date +%s) - start )) s"
done
exit $fail
