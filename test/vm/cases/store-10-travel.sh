# SPDX-License-Identifier: GPL-2.0-only
# The store at the root of the lower filesystem (record version 2): a verity
# file keeps its digest and signature whichever directory of the filesystem
# verityfs is mounted on (the root, a parent, the directory itself, a child,
# the directory over itself), after mv across directories and hard links made
# through verityfs or directly on the lower; its object goes with its last
# name through any mount (unlink, rename over it), not before, and not while
# an fd still reads it; the store is hidden at the root, a user's .verityfs
# deeper is an ordinary directory. Oracle: the stock `fsverity digest` of the
# same bytes, and the signature file given to enable.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
t0=$(cut -d. -f1 /proc/uptime)
load_module
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null ||
	not_ok "add the test signer to the .verityfs keyring"
want=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
head -c 100000 /dev/zero > /tmp/zero100k
wantz=$(fsverity digest /tmp/zero100k | cut -d' ' -f1)
wantsig=$(sha256sum < "$S/zero100k.key1.sig")
rsum=$(sha256sum < "$DATA/rand1m")
R=/mnt/st-root M=/mnt/st-sub
mkdir -p $R $M

# remount_m DIR: verityfs over DIR at $M, instead of what was there.
remount_m() {
	umount $M 2>/dev/null
	mount -t verityfs "$1" $M || not_ok "$fs: mount verityfs on ${1#"$L"}"
}
# travel DESC FILE [SIGNED]: FILE measures as rand1m; SIGNED as zero100k,
# with the same signature.
travel() {
	check_eq "$fs: $1: the digest" "$want" "$(fsverity measure "$2" 2>&1 | cut -d' ' -f1)"
	[ -n "$3" ] || return 0
	check_eq "$fs: $1: the signed file's digest and signature" "$wantz $wantsig" \
		"$(fsverity measure "$3" 2>&1 | cut -d' ' -f1) $(fsverity dump_metadata signature "$3" 2>/dev/null | sha256sum)"
}
settle() { sync; echo 3 > /proc/sys/vm/drop_caches; }
# readdir_has DIR: prints .verityfs when readdir of DIR lists it.
readdir_has() {
	for _e in "$1"/.* "$1"/*; do
		[ "${_e##*/}" != .verityfs ] || echo .verityfs
	done
}

for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	kmsg_mark
	mkdir -p "$L/p/d/c" "$L/q"
	before=$(store_objects "$L")
	mount -t verityfs "$L" $R || { not_ok "$fs: mount verityfs on the root"; free_lower "$L"; continue; }

	# Enabled through a mount of a subdirectory: the objects go to the root.
	remount_m "$L/p/d"
	cp "$DATA/rand1m" $M/c/f && fsverity enable $M/c/f > /dev/null
	cp /tmp/zero100k $M/c/s && fsverity enable --signature="$S/zero100k.key1.sig" $M/c/s > /dev/null
	umount $M
	check_eq "$fs: no store in the directory given to mount" no "$([ -e "$L/p/d/.verityfs" ] && echo yes || echo no)"
	check_eq "$fs: the store at the root: a directory of root's, mode 0700" "0:0 700 directory" \
		"$(stat -c '%u:%g %a %F' "$L/.verityfs" 2>&1)"
	check_eq "$fs: two verity files, two objects at the root" $((before + 2)) "$(store_objects "$L")"
	rec=$(record_hex "$L/p/d/c/f")
	check_eq "$fs: the record: 56 bytes, magic vfy1, version 2" "112 76667931 02" \
		"${#rec} $(echo "$rec" | cut -c1-8) $(echo "$rec" | cut -c9-10)"
	id=$(object_id "$L/p/d/c/f")
	check_eq "$fs: the record names an object in the root's store, mode 0600" "600 regular file" \
		"$(stat -c '%a %F' "$L/.verityfs/$id" 2>&1)"
	sid=$(object_id "$L/p/d/c/s")

	# The same file through mounts of every directory above and at it.
	travel "through a mount of the root" $R/p/d/c/f $R/p/d/c/s
	remount_m "$L/p"
	travel "through a mount of the parent" $M/d/c/f $M/d/c/s
	remount_m "$L/p/d"
	travel "through a mount of the directory" $M/c/f $M/c/s
	remount_m "$L/p/d/c"
	travel "through a mount of the child that holds it" $M/f $M/s
	check_eq "$fs: ... and its bytes" "$rsum" "$(sha256sum < $M/f 2>&1)"
	umount $M
	if mount -t verityfs "$L/p/d" "$L/p/d"; then
		travel "through a mount of the directory over itself" "$L/p/d/c/f" "$L/p/d/c/s"
		check "$fs: umount the mount over itself" umount "$L/p/d"
	else
		not_ok "$fs: mount -t verityfs D D"
	fi

	# mv across directories, through verityfs and on the lower.
	mv $R/p/d/c/f $R/q/f
	travel "mv across directories through verityfs" $R/q/f
	remount_m "$L/q"
	travel "... seen through a mount of the new directory" $M/f
	mv "$L/q/f" "$L/p/f"
	settle
	travel "mv across directories on the lower" $R/p/f
	remount_m "$L/p"
	travel "... seen through a mount of the new directory" $M/f
	check_eq "$fs: mv keeps the record's object" "$id" "$(object_id "$L/p/f")"

	# Hard links, through verityfs and on the lower: one object.
	ln $R/p/f $R/q/h
	travel "a hard link made through verityfs" $R/q/h
	ln "$L/p/f" "$L/p/d/c/h2"
	settle
	travel "a hard link made on the lower" $R/p/d/c/h2
	remount_m "$L/p/d/c"
	travel "... seen through a mount of its directory" $M/h2
	check_eq "$fs: three names, one object (and the signed file's)" $((before + 2)) "$(store_objects "$L")"

	# Removal: a name of several keeps the object; the last takes it, even
	# through another mount than the one that enabled it, and an open fd
	# keeps reading.
	rm $R/q/h
	check_eq "$fs: unlink of one of three names keeps the object" $((before + 2)) "$(store_objects "$L")"
	rm $M/h2
	check_eq "$fs: unlink of one of two names (another mount) keeps it" $((before + 2)) "$(store_objects "$L")"
	travel "the last name still measures" $R/p/f
	# (command: a failed redirection would end the case)
	command exec 5< $R/p/f || not_ok "$fs: open the last name"
	remount_m "$L/p"
	rm $M/f
	diag "$fs: objects while an fd holds the unlinked file: $(store_objects "$L")"
	settle
	check_eq "$fs: an open fd reads the whole file after the last unlink" "$rsum" "$(sha256sum <&5 2>&1)"
	exec 5<&-
	settle
	check_eq "$fs: unlink of the last name (a different mount) takes the object" $((before + 1)) "$(store_objects "$L")"
	check_eq "$fs: ... that object" no "$([ -e "$L/.verityfs/$id" ] && echo yes || echo no)"

	# Rename over a verity file, through another mount than the enabling one.
	cp "$DATA/rand1m" $R/p/d/t && fsverity enable $R/p/d/t > /dev/null
	tid=$(object_id "$L/p/d/t")
	remount_m "$L/p/d"
	mv $M/t $M/c/s
	check_eq "$fs: rename over the signed file takes its object" $((before + 1)) "$(store_objects "$L")"
	check_eq "$fs: ... that one, not the renamed file's" "no yes" \
		"$([ -e "$L/.verityfs/$sid" ] && echo yes || echo no) $([ -e "$L/.verityfs/$tid" ] && echo yes || echo no)"
	travel "the file renamed over it" $M/c/s
	rm $R/p/d/c/s
	check_eq "$fs: no object left behind" "$before" "$(store_objects "$L")"

	# Unlink on the lower, bypassing verityfs: the object stays (an orphan
	# for `verityfs gc`, tested elsewhere).
	cp "$DATA/rand1m" $R/o && fsverity enable $R/o > /dev/null
	oid=$(object_id "$L/o")
	rm "$L/o"
	settle
	check_eq "$fs: unlink on the lower leaves the object (an orphan)" yes \
		"$([ -e "$L/.verityfs/$oid" ] && echo yes || echo no)"
	diag "$fs: orphan left by an unlink behind verityfs: .verityfs/$oid (verityfs gc removes it)"
	rm -f "$L/.verityfs/$oid"

	# The store is hidden at the root.
	check_eq "$fs: readdir of the root does not list .verityfs" "" "$(readdir_has $R)"
	check_eq "$fs: stat of .verityfs at the root is ENOENT" ENOENT "$(vx_errno stat $R/.verityfs)"
	check_eq "$fs: open of an object through the root is ENOENT" ENOENT "$(vx_errno cat $R/.verityfs/"$tid")"
	diag "$fs: mkdir .verityfs at the root through verityfs: $(vx_errno mkdir $R/.verityfs)"

	# A user's .verityfs deeper: an ordinary directory.
	check "$fs: mkdir p/.verityfs through verityfs" mkdir $R/p/.verityfs
	echo hello > $R/p/.verityfs/x
	check_eq "$fs: ... listed in its parent" .verityfs "$(readdir_has $R/p)"
	check_eq "$fs: ... its file reads back" hello "$(cat $R/p/.verityfs/x 2>&1)"
	check_eq "$fs: ... and is on the lower" hello "$(cat "$L/p/.verityfs/x" 2>&1)"
	cp "$DATA/rand1m" $R/p/.verityfs/v && fsverity enable $R/p/.verityfs/v > /dev/null
	travel "a verity file inside a user's .verityfs" $R/p/.verityfs/v
	vid=$(object_id "$L/p/.verityfs/v")
	check_eq "$fs: ... its object is in the root's store" yes "$([ -f "$L/.verityfs/$vid" ] && echo yes || echo no)"
	remount_m "$L/p"
	check_eq "$fs: a mount of p hides p/.verityfs at its root (0.1.0)" ENOENT "$(vx_errno stat $M/.verityfs)"
	check_eq "$fs: ... and its readdir does not list it" "" "$(readdir_has $M)"
	umount $M
	rm -r $R/p/.verityfs
	check_eq "$fs: removing that directory took the object" "$before" "$(store_objects "$L")"

	check_eq "$fs: the kernel log is clean" "" \
		"$(kmsg_since | grep -E 'BUG|WARNING|Oops|KFENCE|Poison|corrupt|no longer in the kernel log' | head -n 3)"
	check "$fs: umount" umount $R
	free_lower "$L"
done
check "rmmod" unload_module
echo "# $VX_CASE took $(($(cut -d. -f1 /proc/uptime) - t0)) s" >> /dev/ttyS1
