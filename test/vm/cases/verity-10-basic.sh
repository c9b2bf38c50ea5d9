# SPDX-License-Identifier: GPL-2.0-only
# fs-verity through verityfs on every lower: enable and measure equal the stock
# `fsverity digest` of the same bytes (host-data.sh), reads return the data,
# the metadata equals what `fsverity digest` computes, the file is immutable,
# verity survives a remount, and data changed behind the mount reads as EIO.
# Copyright (C) 2026 The verityfs authors

modprobe -q sha512_generic 2>/dev/null
load_module
for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mnt=/mnt/vx-$fs
	mkdir -p "$mnt"
	if ! mount -t verityfs "$lower" "$mnt"; then
		not_ok "$fs: mount verityfs"
		continue
	fi
	while read -r size alg want; do
		[ "$size" = 100000000 ] && [ "$fs" = tmpfs ] && continue	# tmpfs is RAM
		f=$mnt/f.$size.$alg
		if [ "$size" = 100000000 ]; then
			truncate -s "$size" "$f"
		else
			head -c "$size" "$DATA/rand1m" > "$f"
		fi
		if ! out=$(fsverity enable --hash-alg="$alg" "$f" 2>&1); then
			not_ok "$fs: enable $alg size $size" "$out"
			continue
		fi
		check_eq "$fs: measure $alg size $size equals fsverity digest" \
			"$want" "$(fsverity measure "$f" | cut -d' ' -f1)"
	done < "$DATA/digests.txt"

	f=$mnt/f.1048576.sha256
	check_eq "$fs: verified read returns the data" \
		"$(sha256sum < "$DATA/rand1m")" "$(sha256sum < "$f")"
	fsverity digest --hash-alg=sha256 --out-merkle-tree=/tmp/want.tree \
		--out-descriptor=/tmp/want.desc "$DATA/rand1m" > /dev/null
	fsverity dump_metadata merkle_tree "$f" > /tmp/got.tree
	check "$fs: dump_metadata merkle_tree equals fsverity digest's" cmp /tmp/want.tree /tmp/got.tree
	fsverity dump_metadata descriptor "$f" > /tmp/got.desc
	check "$fs: dump_metadata descriptor equals fsverity digest's" cmp /tmp/want.desc /tmp/got.desc
	check_fails "$fs: dump_metadata signature of an unsigned file is ENODATA" \
		"No data available" fsverity dump_metadata signature "$f"
	check "$fs: lsattr shows V" sh -c "lsattr '$f' | cut -d' ' -f1 | grep -q V"
	check "$fs: statx reports STATX_ATTR_VERITY" \
		sh -c "xfs_io -r -c 'statx -r' '$f' | grep -q 'stat.attributes = 0x100000'"
	check_fails "$fs: open for append is EPERM" "not permitted" sh -c "echo x >> '$f'"
	check_fails "$fs: open for write is EPERM" "not permitted" sh -c "echo x > '$f'"
	check_fails "$fs: truncate is EPERM" "not permitted" truncate -s 0 "$f"
	check_fails "$fs: enable again is EEXIST" "File exists" fsverity enable "$f"
	head -c 100 "$DATA/rand1m" > "$mnt/plain"
	check_fails "$fs: measure of a plain file is ENODATA" "No data available" \
		fsverity measure "$mnt/plain"
	check "$fs: chmod works" chmod 0600 "$f"
	check "$fs: rename works" mv "$f" "$mnt/renamed"
	check_eq "$fs: measure after rename" "$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)" \
		"$(fsverity measure "$mnt/renamed" | cut -d' ' -f1)"
	check "$fs: the store is hidden" sh -c "! ls -a '$mnt' | grep -q verityfs"

	umount "$mnt"
	check "$fs: lower bytes unchanged by enable" cmp "$DATA/rand1m" "$lower/renamed"
	mount -t verityfs "$lower" "$mnt"
	check_eq "$fs: verity survives a remount" \
		"$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)" \
		"$(fsverity measure "$mnt/renamed" | cut -d' ' -f1)"
	umount "$mnt"
	# Change one byte of the data behind the mount's back.
	printf 'X' | dd of="$lower/renamed" bs=1 seek=5000 conv=notrunc 2>/dev/null
	mount -t verityfs "$lower" "$mnt"
	echo 3 > /proc/sys/vm/drop_caches
	check_fails "$fs: tampered data reads as EIO" "Input/output error" sh -c "cat '$mnt/renamed' > /dev/null"
	check "$fs: an untampered block still reads" \
		sh -c "dd if='$mnt/renamed' bs=4096 skip=2 count=1 2>/dev/null | cmp - /dev/null; \
		       dd if='$mnt/renamed' bs=4096 skip=2 count=1 2>/dev/null | wc -c | grep -qx 4096"
	umount "$mnt"
	umount "$lower"
done
check "rmmod verityfs" unload_module
