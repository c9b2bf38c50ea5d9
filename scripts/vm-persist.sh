#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Verity across a crash and a reboot, on disk images that outlive the guest.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/vm-persist.sh ID...
#
# Three raw disk images on the host (build/vm/ID/persist/*.img) become the
# guest's virtio disks vda, vdb and vdc. Boot 1 (case persist-10-crash) makes
# ext4, xfs and btrfs on them, enables verity on two files each without ever
# syncing, reports their digests, and resets the machine (sysrq b) while it
# enables a 16 GiB file on each. Boot 2 (persist-20-after) mounts the same
# disks and reports every file again. This script judges with an oracle the
# guest did not run, the host's `fsverity digest` of the same bytes:
#   - boot 1 was reset while its three enables ran (no verdict, sysrq seen);
#   - files enabled before the crash are verity with the same digests;
#   - each interrupted file is plain with its original bytes, or verity with
#     the digest of its bytes (which boot 2 checks with `fsverity digest`:
#     the host does not hash 16 GiB; after 3 s of a ten-minute enable the
#     answer is always "plain");
#   - boot 2's own checks pass (orphan objects, a new enable beside them).
# tmpfs is not in the test: it has nothing that survives a reboot.
# Prints TAP lines; exit 0 when all passed.
# Environment: VERITYFS_PREBUILT=1 uses the module and the VM suite's
# initramfs when they exist (make check and check-matrix made them just
# before) instead of making them again (lib.sh vm_prepare).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: vm-persist.sh ID..."
fail=0
say() { echo "$1 - [$id] persist: $2"; [ "$1" = ok ] || fail=1; }

# Digests and contents the host expects: "NAME DIGEST SHA256" lines.
host_expect() {
	local d=$1
	"$VERITYFS_TOP/test/vm/host-data.sh" "$d" > /dev/null || return 1
	head -c 4097 "$d/rand1m" > "$d/b"
	printf 'a %s %s\n' "$(fsverity digest "$d/rand1m" | cut -d' ' -f1)" \
		"$(sha256sum < "$d/rand1m" | cut -d' ' -f1)"
	printf 'b %s %s\n' "$(fsverity digest --hash-alg=sha512 --salt=0123 "$d/b" | cut -d' ' -f1)" \
		"$(sha256sum < "$d/b" | cut -d' ' -f1)"
	# big: 16 GiB, rand1m at both ends: what boot 2 hashes of it.
	printf 'big - %s\n' "$( { cat "$d/rand1m" "$d/rand1m"; echo 17179869184; } |
		sha256sum | cut -d' ' -f1)"
}

# The guest's "# persist KIND FS NAME DIGEST SHA" line, as "DIGEST SHA".
reported() { tr -d '\r' < "$1" | awk -v k="$2" -v f="$3" -v n="$4" \
	'$1 == "#" && $2 == "persist" && $3 == k && $4 == f && $5 == n { print $6, $7 }'; }

for id in "$@"; do
	start=$(date +%s)
	out=$VERITYFS_TOP/build/vm/$id/persist
	rm -rf "$out"; mkdir -p "$out/expect"

	vm_prepare "$id" "$out" > "$out/build.log" 2>&1
	case $? in
	2) say "not ok" "build the module (see $out/build.log)"; continue ;;
	3) say "not ok" "initramfs: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"; continue ;;
	esac
	host_expect "$out/expect" > "$out/expect.txt" || { say "not ok" "host digests"; continue; }

	drives=
	for fs in ext4 xfs btrfs; do
		truncate -s 320M "$out/$fs.img"		# sparse on the host
		drives="$drives $out/$fs.img"
	done

	# Boot 1 ends in a reset, so it has no verdict: judge its lines here.
	VX_DRIVES=$drives VX_TIMEOUT=400 VX_CASE_TIMEOUT=300 "$VERITYFS_TOP/scripts/vm-run.sh" \
		"$id" "$out/initrd.gz" "$out/boot1" persist-10-crash > "$out/boot1.out" 2>&1
	tap1=$out/boot1/result.tap
	tr -d '\r' < "$tap1" 2>/dev/null | grep -E '^(ok|not ok) ' |
		sed -E "s/^(ok|not ok) - /\1 - [$id] persist boot 1: /"
	grep -q '^not ok' "$tap1" 2>/dev/null && fail=1
	if grep -q '^# persist crash: 3 enables running' "$tap1" 2>/dev/null &&
		! grep -q '^VERDICT' "$tap1" && tr -d '\r' < "$out/boot1/console.log" | grep -q 'sysrq: Resetting'; then
		say ok "boot 1 was reset by sysrq in the middle of three enables"
	else
		say "not ok" "boot 1 was reset in the middle of three enables (see $out/boot1/console.log)"
		continue
	fi

	VX_DRIVES=$drives VX_TIMEOUT=400 VX_CASE_TIMEOUT=300 "$VERITYFS_TOP/scripts/vm-run.sh" \
		"$id" "$out/initrd.gz" "$out/boot2" persist-20-after | sed -E "s/^(ok|not ok) - \[$id\] /\1 - [$id] persist boot 2: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail=1
	tap2=$out/boot2/result.tap

	for fs in ext4 xfs btrfs; do
		for n in a b; do
			read -r want_d want_s < <(awk -v n=$n '$1 == n { print $2, $3 }' "$out/expect.txt")
			before=$(reported "$tap1" record "$fs" "$n")
			after=$(reported "$tap2" after "$fs" "$n")
			if [ "$before" = "$want_d $want_s" ] && [ "$after" = "$before" ]; then
				say ok "$fs: $n enabled before the crash is verity after it, digest = fsverity digest"
			else
				say "not ok" "$fs: $n enabled before the crash is verity after it # want '$want_d $want_s', boot 1 '$before', boot 2 '$after'"
			fi
		done
		read -r want_d want_s < <(awk '$1 == "big" { print $2, $3 }' "$out/expect.txt")
		after=$(reported "$tap2" after "$fs" big)
		case $after in
		"plain $want_s")
			say ok "$fs: the interrupted file is plain with its original bytes" ;;
		"sha"*" $want_s")
			say ok "$fs: the interrupted file is complete verity (boot 2: digest = fsverity digest)" ;;
		*)
			say "not ok" "$fs: the interrupted file is plain with its bytes or complete verity # got '$after'" ;;
		esac
		orphans=$(tr -d '\r' < "$tap2" | awk -v f="$fs" '$2 == "persist" && $3 == "orphans" && $4 == f { print $5 }')
		echo "# [$id] persist: $fs: ${orphans:-?} orphan object(s) after the crash"
	done
	echo "# [$id] persist: took $(( $(date +%s) - start )) s"
done
exit $fail
