# SPDX-License-Identifier: GPL-2.0-only
# A failing lower device (device-mapper error and flakey targets under
# ext4, xfs and btrfs) and a full lower (all four): an I/O error is EIO for
# the reader and is never counted or logged as corruption; an enable that
# meets one fails and leaves a plain file with no object; ENOSPC during an
# enable is ENOSPC and leaves no object.
# Copyright (C) 2026 The verityfs authors

export DM_DISABLE_UDEV=1
load_module
modprobe -q -a loop dm_mod dm_flakey
mkdir -p /mnt/dl /mnt/dv
SIZE_MB=320

counters() {
	_dev=$(awk '$5 == "/mnt/dv" { print $3 }' /proc/self/mountinfo | tail -n 1)
	echo "$(cat /sys/fs/verityfs/$_dev/corruptions) $(cat /sys/fs/verityfs/hash_cache/failures)"
}

# dm_table TABLE: swap the live table of vxd (suspend, reload, resume).
dm_table() {
	echo "$1" | dmsetup reload vxd && dmsetup resume vxd
}
linear() { echo "0 $((SIZE_MB * 2048)) linear $LOOP 0"; }

# extent_sectors FILE FROM_BLOCK: "start length" in 512-byte sectors of the
# parts of FILE at or past its block FROM_BLOCK (filefrag, ext4 and xfs).
extent_sectors() {
	filefrag -v "$1" | awk -v from="$2" '
		/blocks? of [0-9]+ bytes/ { match($0, /of [0-9]+ bytes/); bs = substr($0, RSTART + 3, RLENGTH - 9) / 512 }
		{ gsub(/[.:]+/, " ") }
		$1 ~ /^[0-9]+$/ && NF >= 6 && $3 >= from {
			skip = $2 < from ? from - $2 : 0
			print ($4 + skip) * bs, ($6 - skip) * bs }' | sort -n
}

# error_table RANGES: the linear map with "start length" sector ranges erroring.
error_table() {
	_pos=0 _total=$((SIZE_MB * 2048))
	echo 0 > /tmp/dm-pos
	echo "$1" | while read -r _s _l; do
		[ -n "$_s" ] || continue
		[ "$_s" -gt "$_pos" ] && echo "$_pos $((_s - _pos)) linear $LOOP $_pos"
		echo "$_s $_l error"
		_pos=$((_s + _l))
		echo "$_pos" > /tmp/dm-pos
	done
	_pos=$(cat /tmp/dm-pos)
	[ "$_pos" -lt "$_total" ] && echo "$_pos $((_total - _pos)) linear $LOOP $_pos"
}

for fs in ext4 xfs btrfs; do
	img=/tmp/dm-$fs.img
	rm -f "$img"; truncate -s ${SIZE_MB}M "$img"
	LOOP=$(losetup -f) && losetup "$LOOP" "$img" || { not_ok "$fs: loop device"; continue; }
	if ! linear | dmsetup create vxd || ! dmsetup mknodes; then
		not_ok "$fs: dmsetup create"
		losetup -d "$LOOP"
		continue
	fi
	case $fs in
	ext4) mkfs.ext4 -q -F -b 4096 /dev/mapper/vxd; opts=noatime,errors=continue ;;
	xfs) mkfs.xfs -q -f /dev/mapper/vxd; opts=noatime ;;
	btrfs) mkfs.btrfs -q -f /dev/mapper/vxd; opts=noatime ;;
	esac > /dev/null
	modprobe -q "$fs"
	mount -t "$fs" -o "$opts" /dev/mapper/vxd /mnt/dl && mount -t verityfs /mnt/dl /mnt/dv ||
		{ not_ok "$fs: mount over dm"; dmsetup remove vxd; losetup -d "$LOOP"; continue; }
	cp "$DATA/rand1m" /mnt/dv/v
	cp "$DATA/rand1m" /mnt/dv/p
	fsverity enable /mnt/dv/v
	want=$(fsverity measure /mnt/dv/v | cut -d' ' -f1)
	sync
	objs=$(store_objects /mnt/dl)

	# 1. Reads of the file's data fail: EIO, and no corruption. ext4 and xfs
	# map the file's device blocks to the error target (filefrag); btrfs maps
	# its own addresses, so there every read of the disk fails (flakey), which
	# ext4 and xfs would not survive (their metadata reads fail too).
	log_mark
	echo 3 > /proc/sys/vm/drop_caches
	if [ "$fs" = btrfs ]; then
		dm_table "0 $((SIZE_MB * 2048)) flakey $LOOP 0 0 1"
	else
		dm_table "$(error_table "$(extent_sectors /mnt/dl/v 0)")"
	fi
	check_fails "$fs: reading a verity file whose data the disk cannot read is EIO" "Input/output error" cat /mnt/dv/v
	dm_table "$(linear)"
	check_eq "$fs: the read errors are not counted as corruption (mount, cache)" "0 0" "$(counters)"
	check_eq "$fs: ... nor logged as corruption or damage" "" "$(log_since | grep verityfs | grep -iE 'corrupt|damaged|truncated|belong' | head -n 2)"
	echo 3 > /proc/sys/vm/drop_caches
	check_eq "$fs: the disk back, the file reads whole" "$(sha256sum < "$DATA/rand1m")" "$(sha256sum < /mnt/dv/v)"

	# 2. Only the Merkle tree's blocks fail (ext4, xfs: filefrag gives device blocks).
	if [ "$fs" != btrfs ]; then
		obj=$(ls /mnt/dl/.verityfs | head -n 1)
		ranges=$(extent_sectors "/mnt/dl/.verityfs/$obj" 1)
		if [ -n "$ranges" ]; then
			log_mark
			echo 3 > /proc/sys/vm/drop_caches
			dm_table "$(error_table "$ranges")"
			check_fails "$fs: a tree block that cannot be read is EIO" "Input/output error" cat /mnt/dv/v
			dm_table "$(linear)"
			check_eq "$fs: ... not corruption" "0 0" "$(counters)"
			check_eq "$fs: ... not logged as corruption or damage" "" "$(log_since | grep verityfs | grep -iE 'corrupt|damaged|truncated|belong' | head -n 2)"
		else
			not_ok "$fs: the tree's device blocks (filefrag)"
		fi
		# 3. The data fail while an enable reads them: the enable fails, the file stays plain.
		ranges=$(extent_sectors /mnt/dl/p 0)
		echo 3 > /proc/sys/vm/drop_caches
		dm_table "$(error_table "$ranges")"
		check_fails "$fs: enable over unreadable data fails with EIO" "Input/output error" fsverity enable /mnt/dv/p
		dm_table "$(linear)"
	else
		# btrfs maps its own addresses: the whole disk fails reads during the enable.
		echo 3 > /proc/sys/vm/drop_caches
		dm_table "0 $((SIZE_MB * 2048)) flakey $LOOP 0 0 1"
		# 7.x btrfs aborts its transaction on the failed reads and turns
		# read-only (EROFS): the enable fails closed either way.
		check_fails "$fs: enable over unreadable data fails with EIO (or EROFS)" \
			"Input/output error\|Read-only file system" fsverity enable /mnt/dv/p
		dm_table "$(linear)"
		if awk '$2 == "/mnt/dl" { print $4 }' /proc/mounts | grep -q '^ro\(,\|$\)'; then
			diag "$fs went read-only after the read errors: mounted again"
			umount /mnt/dv; umount /mnt/dl
			mount -t "$fs" -o "$opts" /dev/mapper/vxd /mnt/dl && mount -t verityfs /mnt/dl /mnt/dv ||
				not_ok "$fs: mount again after the read errors"
		fi
	fi
	check_fails "$fs: ... and leaves a plain file" "No data available" fsverity measure /mnt/dv/p
	check_eq "$fs: ... and no object" "$objs" "$(store_objects /mnt/dl)"
	echo 3 > /proc/sys/vm/drop_caches
	check_eq "$fs: ... with its bytes" "$(sha256sum < "$DATA/rand1m")" "$(sha256sum < /mnt/dv/p)"
	check "$fs: the disk back, the enable works" fsverity enable /mnt/dv/p
	check_eq "$fs: the first file still measures the same" "$want" "$(fsverity measure /mnt/dv/v | cut -d' ' -f1)"
	check_eq "$fs: no corruption counted in all of this" "0 0" "$(counters)"
	umount /mnt/dv; umount /mnt/dl
	dmsetup remove vxd
	losetup -d "$LOOP"
	rm -f "$img"
done

# ENOSPC: a full lower, an enable that needs room for its tree. Small
# filesystems of their own, freed afterwards (guest memory holds them).
for fs in $LOWERS; do
	L=/mnt/full-$fs
	mkdir -p $L
	img=/tmp/full-$fs.img
	case $fs in
	tmpfs) mount -t tmpfs -o size=16m tmpfs $L ;;
	ext4) truncate -s 64M $img && mkfs.ext4 -q -F -b 4096 $img > /dev/null ;;
	xfs) truncate -s 300M $img && mkfs.xfs -q -f $img > /dev/null ;;
	btrfs) truncate -s 128M $img && mkfs.btrfs -q -f $img > /dev/null ;;
	esac
	if [ "$fs" != tmpfs ]; then
		lo=$(losetup -f) && losetup "$lo" $img && mount -t "$fs" "$lo" $L ||
			{ not_ok "$fs: a small lower"; continue; }
	fi
	mount -t verityfs "$L" /mnt/dv || { not_ok "$fs: mount"; continue; }
	cp "$DATA/rand1m" /mnt/dv/first && fsverity enable /mnt/dv/first	# the store exists
	head -c 4194304 /dev/zero | tr '\0' 'z' > /mnt/dv/big
	sync
	objs=$(store_objects "$L")
	dd if=/dev/zero of="$L/fill" bs=1M 2>/dev/null
	dd if=/dev/zero of="$L/fill2" bs=4k 2>/dev/null
	dd if=/dev/zero of="$L/fill3" bs=512 2>/dev/null
	sync
	check_fails "$fs: enable on a full lower fails with ENOSPC" "No space left on device" fsverity enable /mnt/dv/big
	check_eq "$fs: ... and leaves no object" "$objs" "$(store_objects "$L")"
	check_fails "$fs: ... and a plain file" "No data available" fsverity measure /mnt/dv/big
	rm -f "$L/fill" "$L/fill2" "$L/fill3"
	sync
	check "$fs: room again, the enable works" fsverity enable /mnt/dv/big
	umount /mnt/dv; umount "$L"
	[ "$fs" = tmpfs ] || losetup -d "$lo"
	rm -f $img
done
check "rmmod" unload_module
