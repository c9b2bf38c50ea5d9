# SPDX-License-Identifier: GPL-2.0-only
# `verityfs gc LOWER_ROOT` on each lower: the objects of the store that no
# trusted.verityfs record names. Orphans are made the way they happen, by
# unlinking verity files directly on the lower (the mount never sees it);
# gc must list exactly those (their ids read from their records before the
# unlink), leave them in a dry run and under --min-age, delete them with
# --delete, and never list or delete an object a record still names: a
# hard link's other name, a file in a subdirectory, a 0.1.0 store in a
# subdirectory whose version-1 record names it. Afterwards every surviving
# verity file still reads and measures the same.
# Copyright (C) 2026 The verityfs authors

NOBODY="vx-asuser 65534 65534"
load_module
mnt=/mnt/vx-gc
mkdir -p "$mnt"

# obj_name FILE: the object a file's record names (u64 LE at byte 8, as 16 hex digits).
obj_name() {
	getfattr --only-values -n trusted.verityfs "$1" 2>/dev/null > /tmp/rec
	od -An -tx1 -j8 -N8 /tmp/rec | awk '{ for (i = NF; i >= 1; i--) printf "%s", $i } END { print "" }'
}

for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; free_lower "$lower"; continue; }
	mkdir -p "$mnt/sub"
	for f in live gone1 sub/gone2 linked sub/deep; do
		head -c 20000 "$DATA/rand1m" > "$mnt/$f"
		printf '%s' "$f" >> "$mnt/$f"
		fsverity enable "$mnt/$f"
	done
	ln "$mnt/linked" "$mnt/sub/linked2"
	for f in live linked sub/deep; do fsverity measure "$mnt/$f"; done > /tmp/gc.before
	umount "$mnt"

	diag "$fs: store: $(ls "$lower/.verityfs" | tr '\n' ' ')"
	verityfs gc --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: no orphan yet: exit 0, nothing printed" "0 " "$rc $(cat /tmp/gc.out)"

	g1=$(obj_name "$lower/gone1") g2=$(obj_name "$lower/sub/gone2")
	check "$fs: the records name objects of the store" \
		test -f "$lower/.verityfs/$g1" -a -f "$lower/.verityfs/$g2"
	rm "$lower/gone1" "$lower/sub/gone2" "$lower/linked"	# behind verityfs's back
	n=$(store_objects "$lower")

	verityfs gc "$lower" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: default --min-age (3600 s): young orphans left alone, exit 0" "0 " "$rc $(cat /tmp/gc.out)"
	verityfs gc --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	want=$(printf 'orphan %s %s\norphan %s %s\n' \
		"$(stat -c %s "$lower/.verityfs/$g1")" "$lower/.verityfs/$g1" \
		"$(stat -c %s "$lower/.verityfs/$g2")" "$lower/.verityfs/$g2" | sort)
	check_eq "$fs: dry run lists exactly the two orphans with their sizes, exit 1" \
		"1 $want" "$rc $(sort /tmp/gc.out)"
	check_eq "$fs: dry run deletes nothing" "$n" "$(store_objects "$lower")"

	# A 0.1.0 store in a subdirectory: one object named by a version-1
	# record (made by hand: magic, version 1, id at byte 8), one orphan.
	mkdir -p "$lower/old/.verityfs"
	head -c 300 "$DATA/rand1m" > "$lower/old/.verityfs/00000000000000aa"
	head -c 200 "$DATA/rand1m" > "$lower/old/.verityfs/00000000000000bb"
	: > "$lower/old/v1file"
	setfattr -n trusted.verityfs -v 0x7666793101012000aa00000000000000 "$lower/old/v1file"
	verityfs gc --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	check "$fs: a 0.1.0 store's orphan is listed" grep -qx "orphan 200 $lower/old/.verityfs/00000000000000bb" /tmp/gc.out
	check "$fs: its object named by a version-1 record is not" \
		sh -c "! grep -q 00000000000000aa /tmp/gc.out"

	$NOBODY verityfs gc --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: not root: exit 2, nothing listed" "2 " "$rc $(grep orphan /tmp/gc.out)"
	verityfs gc --min-age=0 "$lower/sub" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: a directory that is no mount root: refused (exit 2)" 2 "$rc"

	verityfs gc --delete --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: --delete: the three orphans deleted, exit 0" \
		"0 $(printf '%s\n' "$want" "orphan 200 $lower/old/.verityfs/00000000000000bb" | sort | sed 's/^orphan/deleted/')" \
		"$rc $(sort /tmp/gc.out)"
	check_eq "$fs: the store keeps the live objects" "$((n - 2))" "$(store_objects "$lower")"
	check "$fs: the 0.1.0 store keeps its live object" test -f "$lower/old/.verityfs/00000000000000aa"
	verityfs gc --min-age=0 "$lower" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: then nothing left to list" "0 " "$rc $(cat /tmp/gc.out)"
	rm -rf "$lower/old"

	mount -t verityfs "$lower" "$mnt"
	for f in live sub/linked2 sub/deep; do fsverity measure "$mnt/$f"; done > /tmp/gc.after
	check_eq "$fs: the surviving verity files measure as before" \
		"$(cut -d" " -f1 /tmp/gc.before)" "$(cut -d" " -f1 /tmp/gc.after)"
	check "$fs: and read" sh -c "cat '$mnt/live' '$mnt/sub/linked2' '$mnt/sub/deep' > /dev/null"
	verityfs gc --min-age=0 "$mnt" > /tmp/gc.out 2>&1; rc=$?
	check_eq "$fs: gc of the verityfs mount: refused (exit 2)" 2 "$rc"
	umount "$mnt"
	free_lower "$lower"
done
check "rmmod verityfs" unload_module
