# SPDX-License-Identifier: GPL-2.0-only
# Compat: verity files made by verityfs 0.1.0 (record v1, store in the mounted directory) read through the new module.
# Copyright (C) 2026 The verityfs authors
#
# Per lower: the 0.1.0 module (/lib/verityfs-0.1.0.ko, scripts/build-old.sh)
# mounted over a subdirectory A of the lower makes verity files (1 MiB,
# sha512 + salt + 1 KiB blocks, empty, signed, one two directories down, and
# two to be damaged), then the new module must:
#   - through a read-only mount of A, and through a writable mount of the
#     lower's root over a read-only lower: give the recorded digests (which
#     are also the stock `fsverity digest` of the plain bytes) and the bytes,
#     and change nothing on the lower (records stay v1, objects in A/.verityfs);
#   - through a read-only mount of A/sub: find the object of sub/deep/nested
#     in A/.verityfs, above that mount's root;
#   - through a writable mount of the lower's root: the same, the signature
#     readable, and each file opened upgraded in place (record v2 of 56 bytes,
#     the same object id, the object moved unchanged to the lower root's
#     .verityfs); the nested one, not opened there, upgraded through a
#     writable mount of A/sub;
#   - refuse (EINVAL) to open a v1 file whose object is truncated or has a
#     flipped header byte, on every mount, and never upgrade it.
# Every verityfs mount is of a directory, never of a file, and the objects are
# looked at on the lower only.

S=$DATA/sig
mnt=/mnt/vx-compat
FILES="rand1m s512 empty signed sub/deep/nested"
BAD="bad-trunc bad-flip"

old_missing=/lib/verityfs-0.1.0.missing
if [ ! -f /lib/verityfs-0.1.0.ko ]; then
	why=$(cat "$old_missing" 2>/dev/null)
	case $why in
	fail:*) not_ok "the 0.1.0 module is in the initramfs" "${why#fail: }" ;;
	*) skip "files of verityfs 0.1.0" "no 0.1.0 module: ${why#skip: }" ;;
	esac
	return 0
fi
lsmod | grep -q '^verityfs ' && { not_ok "no verityfs module loaded at the start"; return 0; }
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1
mkdir -p "$mnt" /tmp/compat
head -c 100000 /dev/zero > /tmp/compat/zero100k

# The record of a lower file: rec_state FILE prints "BYTES:VERSION",
# rec_id FILE the object id (offset 8, little-endian) as 16 hex digits.
rec_state() {
	getfattr -n trusted.verityfs --only-values --absolute-names "$1" > /tmp/compat/rec 2>/dev/null ||
		{ echo none; return; }
	echo "$(wc -c < /tmp/compat/rec | tr -d ' '):$(od -An -tu1 -j4 -N1 /tmp/compat/rec | tr -d ' ')"
}
rec_id() {
	getfattr -n trusted.verityfs --only-values --absolute-names "$1" 2>/dev/null |
		od -An -tx1 -j8 -N8 | awk '{ for (i = NF; i >= 1; i--) printf "%s", $i } END { print "" }'
}
# measure FILE: the digest fsverity measure prints, else its error.
measure() {
	_m=$(fsverity measure "$1" 2>&1)
	case $_m in
	sha*) echo "${_m%% *}" ;;
	*) echo "$_m" | tail -n 1 ;;
	esac
}
# sum FILE: SHA-256 of FILE's bytes, or "missing".
sum() {
	if [ -f "$1" ]; then sha256sum < "$1" | cut -d' ' -f1; else echo missing; fi
}
# key NAME: a file name for /tmp/compat (no slash).
key() { echo "$1" | tr / _; }
# The enable (and digest) options of each file; s512_bs is set per lower.
opts_of() {
	case $1 in
	s512) echo "--hash-alg=sha512 --salt=abcd --block-size=$s512_bs" ;;
	*) echo "" ;;
	esac
}
# state A: records and stores of the lower, to compare before and after.
lower_state() {
	for _f in $FILES $BAD; do echo "$_f $(rec_state "$1/a/$_f")"; done
	echo "A/.verityfs: $(ls "$1/a/.verityfs" 2>/dev/null | tr '\n' ' ')"
	echo "root/.verityfs: $(ls "$1/.verityfs" 2>/dev/null | tr '\n' ' ')"
	for _o in "$1"/a/.verityfs/* "$1"/.verityfs/*; do
		[ -f "$_o" ] && echo "$_o $(sum "$_o")"
	done
}
# read_checks TAG DIR: through DIR (a mount of A or of the lower's root, as
# the caller gives the path of A in it), each good file measures as recorded
# and reads as its original bytes; the damaged ones do not open (EINVAL).
read_checks() {
	for _f in $FILES; do
		_k=$(key "$_f")
		check_eq "$fs $1: $_f measures as 0.1.0 recorded" \
			"$(cat "/tmp/compat/$_k.m")" "$(measure "$2/$_f")"
		check "$fs $1: $_f reads as its original bytes" cmp "$2/$_f" "/tmp/compat/$_k.orig"
	done
	for _f in $BAD; do
		check_fails "$fs $1: $_f (damaged object) does not open: EINVAL" "Invalid argument" \
			cat "$2/$_f"
	done
}

one_lower() {
	fs=$1
	t0=$(date +%s)
	log_mark
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; return; }
	A=$lower/a
	mkdir -p "$A/sub/deep"

	# --- 0.1.0 makes the files -------------------------------------------
	insmod /lib/verityfs-0.1.0.ko || { not_ok "$fs: insmod verityfs-0.1.0.ko"; return; }
	diag "$fs: 0.1.0 module: version $(cat /sys/module/verityfs/version 2>/dev/null)"
	keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
	mount -t verityfs "$A" "$mnt" || { not_ok "$fs: 0.1.0: mount of A"; rmmod verityfs; return; }
	cp "$DATA/rand1m" /tmp/compat/rand1m.orig
	head -c 300000 "$DATA/rand1m" > /tmp/compat/s512.orig
	: > /tmp/compat/empty.orig
	cp /tmp/compat/zero100k /tmp/compat/signed.orig
	tail -c 70000 "$DATA/rand1m" > /tmp/compat/sub_deep_nested.orig
	for _f in $FILES; do cp "/tmp/compat/$(key "$_f").orig" "$mnt/$_f"; done
	for _f in $BAD; do head -c 20000 "$DATA/rand1m" > "$mnt/$_f"; done
	s512_bs=1024
	err=
	for _f in rand1m empty sub/deep/nested $BAD; do
		fsverity enable "$mnt/$_f" 2>> /tmp/compat/err || err="$err $_f"
	done
	fsverity enable --signature="$S/zero100k.key1.sig" "$mnt/signed" 2>> /tmp/compat/err ||
		err="$err signed"
	# shellcheck disable=SC2046 # the options are words
	if ! fsverity enable $(opts_of s512) "$mnt/s512" 2>> /tmp/compat/err; then
		skip "$fs: 0.1.0 enables sha512 with 1 KiB blocks" "refused; 4 KiB blocks instead"
		s512_bs=4096
		# shellcheck disable=SC2046
		fsverity enable $(opts_of s512) "$mnt/s512" 2>> /tmp/compat/err || err="$err s512"
	fi
	check_eq "$fs: 0.1.0 enables every file" "" "$err"
	[ -z "$err" ] || diag "$fs: $(tr '\n' ' ' < /tmp/compat/err)"
	for _f in $FILES; do
		measure "$mnt/$_f" > "/tmp/compat/$(key "$_f").m"
	done
	diag "$fs: 0.1.0 digests: $(cat /tmp/compat/*.m | cut -c1-20 | tr '\n' ' ')"
	umount "$mnt"
	rmmod verityfs || { not_ok "$fs: rmmod the 0.1.0 module"; return; }

	# --- what 0.1.0 left on the lower ------------------------------------
	for _f in $FILES; do
		# shellcheck disable=SC2046
		check_eq "$fs: 0.1.0 recorded the stock fsverity digest of $_f" \
			"$(fsverity digest $(opts_of "$_f") "$A/$_f" | cut -d' ' -f1)" \
			"$(cat "/tmp/compat/$(key "$_f").m")"
		id=$(rec_id "$A/$_f")
		echo "$id" > "/tmp/compat/$(key "$_f").id"
		sum "$A/.verityfs/$id" > "/tmp/compat/$(key "$_f").ck"
	done
	check_eq "$fs: before: every record is v1, 88 bytes" \
		"$(for _f in $FILES $BAD; do echo "$_f 88:1"; done)" \
		"$(for _f in $FILES $BAD; do echo "$_f $(rec_state "$A/$_f")"; done)"
	check_eq "$fs: before: A/.verityfs holds the 7 objects, named by the records' ids" \
		"$(for _f in $FILES $BAD; do rec_id "$A/$_f"; done | sort | tr '\n' ' ')" \
		"$(ls "$A/.verityfs" | tr '\n' ' ')"
	check_eq "$fs: before: no store at the lower's root" 0 "$(store_objects "$lower")"
	# The damage: one object cut inside its descriptor, one with the first
	# byte of its header's magic changed.
	truncate -s 100 "$A/.verityfs/$(rec_id "$A/bad-trunc")"
	printf 'X' | dd of="$A/.verityfs/$(rec_id "$A/bad-flip")" bs=1 seek=0 conv=notrunc 2>/dev/null
	before=$(lower_state "$lower")

	# --- the new module, read-only ---------------------------------------
	load_module || { not_ok "$fs: load the new module"; return; }
	keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
	if mount -t verityfs -o ro "$A" "$mnt"; then
		read_checks "ro mount of A" "$mnt"
		umount "$mnt"
	else
		not_ok "$fs: read-only mount of A"
	fi
	if mount -t verityfs -o ro "$A/sub" "$mnt"; then
		check_eq "$fs: ro mount of A/sub: deep/nested (object above the mount's root) measures as recorded" \
			"$(cat /tmp/compat/sub_deep_nested.m)" "$(measure "$mnt/deep/nested")"
		check "$fs: ro mount of A/sub: deep/nested reads" cmp "$mnt/deep/nested" /tmp/compat/sub_deep_nested.orig
		umount "$mnt"
	else
		not_ok "$fs: read-only mount of A/sub"
	fi
	# A writable verityfs mount of a read-only lower: nothing may be upgraded.
	if mount -o remount,ro "$lower"; then
		if mount -t verityfs "$lower" "$mnt"; then
			read_checks "rw mount of the ro lower's root" "$mnt/a"
			umount "$mnt"
		else
			not_ok "$fs: writable verityfs mount of the read-only lower's root"
		fi
		mount -o remount,rw "$lower" || not_ok "$fs: remount the lower rw"
	else
		not_ok "$fs: remount the lower read-only"
	fi
	check_eq "$fs: the read-only mounts changed nothing: records v1, objects in A/.verityfs" \
		"$before" "$(lower_state "$lower")"

	# --- the new module, writable: the upgrade ---------------------------
	if mount -t verityfs "$lower" "$mnt"; then
		# Everything but the nested file, which a mount of A/sub opens below.
		for _f in $FILES; do
			[ "$_f" = sub/deep/nested ] && continue
			_k=$(key "$_f")
			check_eq "$fs: rw mount of the root: $_f measures as recorded" \
				"$(cat "/tmp/compat/$_k.m")" "$(measure "$mnt/a/$_f")"
			check "$fs: rw mount of the root: $_f reads as its original bytes" \
				cmp "$mnt/a/$_f" "/tmp/compat/$_k.orig"
		done
		check "$fs: rw mount of the root: the signature of 'signed' is the one given at enable" \
			sh -c "fsverity dump_metadata signature '$mnt/a/signed' | cmp - '$S/zero100k.key1.sig'"
		for _f in $BAD; do
			check_fails "$fs: rw mount of the root: $_f does not open: EINVAL" "Invalid argument" \
				cat "$mnt/a/$_f"
		done
		umount "$mnt"
	else
		not_ok "$fs: writable mount of the lower's root"
	fi
	diag "$fs: sub/deep/nested after the root mount: $(rec_state "$A/sub/deep/nested")"
	if mount -t verityfs "$A/sub" "$mnt"; then
		check_eq "$fs: rw mount of A/sub: deep/nested measures as recorded" \
			"$(cat /tmp/compat/sub_deep_nested.m)" "$(measure "$mnt/deep/nested")"
		check "$fs: rw mount of A/sub: deep/nested reads" cmp "$mnt/deep/nested" /tmp/compat/sub_deep_nested.orig
		umount "$mnt"
	else
		not_ok "$fs: writable mount of A/sub"
	fi
	sync
	n=0
	for _f in $FILES; do
		_k=$(key "$_f")
		id=$(cat "/tmp/compat/$_k.id")
		st=$(rec_state "$A/$_f")
		[ "$st" = 56:2 ] && n=$((n + 1))
		check_eq "$fs: after: $_f's record is v2, 56 bytes, same object id" \
			"56:2 $id" "$st $(rec_id "$A/$_f")"
		check_eq "$fs: after: $_f's object is in the root's store, unchanged" \
			"$(cat "/tmp/compat/$_k.ck")" "$(sum "$lower/.verityfs/$id")"
	done
	diag "$fs: $n of 5 files upgraded"
	check_eq "$fs: after: the damaged files are still v1" "88:1 88:1" \
		"$(rec_state "$A/bad-trunc") $(rec_state "$A/bad-flip")"
	check_eq "$fs: after: A/.verityfs holds only the damaged files' objects" \
		"$(for _f in $BAD; do rec_id "$A/$_f"; done | sort | tr '\n' ' ')" \
		"$(ls "$A/.verityfs" | tr '\n' ' ')"

	# Upgraded, through a fresh mount with cold caches: still the same files.
	echo 3 > /proc/sys/vm/drop_caches
	if mount -t verityfs "$lower" "$mnt"; then
		read_checks "after the upgrade, rw mount of the root" "$mnt/a"
		umount "$mnt"
	else
		not_ok "$fs: mount of the root after the upgrade"
	fi
	if mount -t verityfs "$A/sub" "$mnt"; then
		check_eq "$fs: after the upgrade, mount of A/sub: deep/nested measures as recorded" \
			"$(cat /tmp/compat/sub_deep_nested.m)" "$(measure "$mnt/deep/nested")"
		umount "$mnt"
	else
		not_ok "$fs: mount of A/sub after the upgrade"
	fi
	unload_module || not_ok "$fs: rmmod the new module"
	check_log_clean
	free_lower "$lower"
	rm -f /tmp/compat/*.m /tmp/compat/*.id /tmp/compat/*.ck /tmp/compat/*.orig /tmp/compat/err
	diag "$fs: took $(($(date +%s) - t0)) s"
}

for fs in $LOWERS; do
	one_lower "$fs"
	umount "$mnt" 2>/dev/null
	if lsmod | grep -q '^verityfs '; then rmmod verityfs; fi
done
return 0
