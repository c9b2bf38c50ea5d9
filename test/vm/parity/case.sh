# SPDX-License-Identifier: GPL-2.0-only
# The parity cases' driver: parity_native makes the reference transcripts on
# native ext4 (kept in /tmp/parity for the later cases of the same boot);
# parity_lower FS runs the scenarios on verityfs over FS and compares.
#
# Guest time: native ext4 runs every group at every Merkle block size it
# supports and both algorithms. Each lower runs the whole list (572 573 574
# 575 624) at one parameter pair and 575 and 624 at the other three; the
# full pair rotates, so that every block size and algorithm gets every
# assertion on some lower:
#   ext4 4096/sha256, xfs 1024/sha512, btrfs 4096/sha512, tmpfs 1024/sha256

. /test/parity/scenarios.sh
. /test/parity/targets.sh
. /test/parity/compare.sh

PARAMS="4096:sha256 4096:sha512 1024:sha256 1024:sha512"
FULL="572 573 574 575 624"
LIGHT="575 624"
OUT=/tmp/parity

full_param() {
	case $1 in
	ext4) echo 4096:sha256 ;;
	xfs) echo 1024:sha512 ;;
	btrfs) echo 4096:sha512 ;;
	tmpfs) echo 1024:sha256 ;;
	esac
}

parity_native() {
	mkdir -p "$OUT"
	modprobe -q sha512_generic 2>/dev/null
	_t=$(date +%s)
	native=$(mk_lower ext4 -O verity) || { not_ok "native ext4 with -O verity"; return 0; }
	target_native "$native"
	# Before 6.3 native fs-verity only takes Merkle block size == PAGE_SIZE.
	head -c 4096 /dev/zero > "$native/probe"
	if fsverity enable --block-size=1024 "$native/probe" > /dev/null 2>&1; then
		echo yes > "$OUT/native1k"
	else
		echo no > "$OUT/native1k"
	fi
	rm -f "$native/probe"
	if kernel_matches '<6.3'; then
		check_eq "native ext4 refuses Merkle block size 1024 before 6.3 (documented: verityfs takes it, as upstream since 6.3)" \
			no "$(cat "$OUT/native1k")"
	else
		check_eq "native ext4 takes Merkle block size 1024 (6.3+)" yes "$(cat "$OUT/native1k")"
	fi
	for p in $PARAMS; do
		bs=${p%:*} alg=${p#*:}
		[ "$bs" = 1024 ] && [ "$(cat "$OUT/native1k")" = no ] && continue
		(parity_run "$bs" "$alg" $FULL) > "$OUT/native.$bs.$alg" 2>&1 ||
			not_ok "native ext4 $bs $alg: the scenario runner stopped" \
				"$(tail -n 3 "$OUT/native.$bs.$alg" | tr '\n' ' ')"
		check "native ext4 $bs $alg: transcript made" test -s "$OUT/native.$bs.$alg"
	done
	umount "$native"
	diag "native ext4 transcripts took $(( $(date +%s) - _t )) s"
}

parity_lower() {
	fs=$1
	_t=$(date +%s)
	[ -f "$OUT/native1k" ] || { not_ok "$fs: no native transcripts (parity-00-native must run first)"; return 0; }
	modprobe -q sha512_generic 2>/dev/null
	load_module
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; return 0; }
	mnt=/mnt/pv-$fs
	mkdir -p "$mnt"
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; return 0; }
	target_verityfs "$fs" "$lower" "$mnt"
	for p in $PARAMS; do
		bs=${p%:*} alg=${p#*:}
		groups=$LIGHT
		[ "$p" = "$(full_param "$fs")" ] && groups=$FULL
		got=$OUT/$fs.$bs.$alg
		(parity_run "$bs" "$alg" $groups) > "$got" 2>&1 ||
			not_ok "$fs $bs $alg: the scenario runner stopped" "$(tail -n 3 "$got" | tr '\n' ' ')"
		if [ -f "$OUT/native.$bs.$alg" ]; then
			parity_compare "$OUT/native.$bs.$alg" "$got" "parity $fs $bs $alg" "$fs"
		else
			parity_compare "$OUT/native.4096.$alg" "$got" \
				"parity $fs $bs $alg (vs native at 4096: no native 1024 before 6.3)" "$fs" notilde
			# The block-size dependent lines: the same on every lower.
			for o in ext4 xfs btrfs tmpfs; do
				[ "$o" != "$fs" ] && [ -f "$OUT/$o.$bs.$alg" ] || continue
				parity_compare "$OUT/$o.$bs.$alg" "$got" \
					"parity $fs $bs $alg block-size details (vs verityfs over $o)" "$fs" tildeonly
				break
			done
		fi
		if grep -q FAILED "$got"; then
			not_ok "parity $fs $bs $alg: transcript steps" "$(grep FAILED "$got" | head -n 3 | tr '\n' ' ')"
		fi
	done
	umount "$mnt"
	umount "$lower"
	check "rmmod verityfs" unload_module
	if [ -e /tmp/vx-case-failed ]; then
		for t in "$OUT/native".* "$OUT/$fs".*; do
			sed "s|^|# $(basename "$t"): |" "$t"
		done
	fi
	diag "verityfs over $fs took $(( $(date +%s) - _t )) s"
}
