# SPDX-License-Identifier: GPL-2.0-only
# A verity file's object in the store belongs to the file's owner (uid and
# gid, also when root enables a user's file, and after a chown through
# verityfs), so that the Merkle tree is charged to the owner's quota as on
# native ext4, where the tree is part of the file. Oracle: native ext4
# fs-verity with quota in the same guest: with a block hard limit the data
# fits but the data and its tree do not, enable as the user is EDQUOT on
# both and the file stays plain; with room, both enable and the user's usage
# grows by about the tree on both. Quota on ext4 (-O quota, -o usrquota),
# xfs (-o uquota) and tmpfs (6.6+ with CONFIG_TMPFS_QUOTA, limits from the
# mount options); btrfs has only qgroups, no per-user quota.
# Copyright (C) 2026 The verityfs authors

t0=$(cut -d. -f1 /proc/uptime)
load_module
modprobe -q quota_v2 2>/dev/null	# ext4's quota files; =m in Debian
asuser() { vx-asuser 1000 1000 "$@"; }
R=/mnt/sq
mkdir -p $R
# 64 MiB at 4 KiB blocks, SHA-256: 16384 hashes = 128 level-0 blocks + 1.
TREE=$((129 * 4096))
owner() { stat -c %u:%g "$1" 2>&1; }
# objof LOWER FILE: the object FILE's record names (a path that does not
# exist when FILE has no record).
objof() {
	_id=$(object_id "$2")
	echo "$1/.verityfs/${_id:-NO-RECORD}"
}

# (1) The object's owner follows the file's, on every lower.
for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$L" $R || { not_ok "$fs: mount verityfs"; free_lower "$L"; continue; }
	mkdir $R/u && chown 1000:1000 $R/u
	asuser cp "$DATA/rand1m" $R/u/mine
	check_eq "$fs: a user's file made through verityfs is the user's on the lower" 1000:1000 "$(owner "$L/u/mine")"
	check_eq "$fs: the user enables it (the first enable on this filesystem)" ok \
		"$(vx_errno asuser fsverity enable $R/u/mine)"
	check_eq "$fs: ... the store it made is root's, mode 0700" "0:0 700" "$(stat -c '%u:%g %a' "$L/.verityfs" 2>&1)"
	if [ "$(stat -c %u "$L/.verityfs" 2>/dev/null)" != 0 ]; then
		# So that what follows tests the objects, not this again.
		diag "$fs: the store was made as $(stat -c %u:%g "$L/.verityfs"): chown 0:0 and enable again"
		chown 0:0 "$L/.verityfs"
		asuser fsverity enable $R/u/mine > /dev/null
	fi
	check_eq "$fs: ... its object is the user's" 1000:1000 "$(owner "$(objof "$L" "$L/u/mine")")"
	cp "$DATA/rand1m" $R/theirs && chown 1000:1000 $R/theirs
	fsverity enable $R/theirs > /dev/null
	check_eq "$fs: root enables a user's file: the object is the user's" 1000:1000 \
		"$(owner "$(objof "$L" "$L/theirs")")"
	cp "$DATA/rand1m" $R/roots && fsverity enable $R/roots > /dev/null
	check_eq "$fs: root's own file: root's object" 0:0 "$(owner "$(objof "$L" "$L/roots")")"
	chown 2000:3000 $R/theirs
	check_eq "$fs: chown through verityfs moves the file and its object" "2000:3000 2000:3000" \
		"$(owner "$L/theirs") $(owner "$(objof "$L" "$L/theirs")")"
	chgrp 4000 $R/theirs
	check_eq "$fs: chgrp through verityfs moves the object's group" 2000:4000 \
		"$(owner "$(objof "$L" "$L/theirs")")"
	chown 2001 $R/u/mine
	check_eq "$fs: chown of the uid alone keeps the object's gid" 2001:1000 \
		"$(owner "$(objof "$L" "$L/u/mine")")"
	check_eq "$fs: the objects are mode 0600" "600 600 600" \
		"$(for f in u/mine theirs roots; do stat -c %a "$(objof "$L" "$L/$f")"; done | tr '\n' ' ' | sed 's/ $//')"
	check "$fs: umount" umount $R
	free_lower "$L"
done

# usage Q: the user's space in bytes on Q (a device or a directory).
usage() { vx-store quota-get "$1" 1000 | cut -d' ' -f1; }
# usage_settles Q MAX: wait (xfs frees blocks in the background) until the
# user's space is at most MAX bytes; prints what it is.
usage_settles() {
	_i=0
	while _u=$(usage "$1") && [ "$_u" -gt "$2" ] && [ $_i -lt 20 ]; do
		sync; sleep 0.5; _i=$((_i + 1))
	done
	echo "$_u"
}
# quota_case NAME Q DIR STORE LIMITED RELEASE: as the user, 64 MiB of data
# in DIR/big, then enable under a hard limit of the data + 100 KiB (set on
# Q, or already there by mount option when LIMITED is 1), then with 4 MiB
# more. STORE: the lower's root, whose store must gain nothing from the
# failure; empty for native ext4. RELEASE: the command that closes
# everything before the charge is read. Sets DELTA (bytes the successful
# enable charged) and DIGEST.
quota_case() {
	_n=$1 _q=$2 _d=$3 _s=$4
	DELTA='' DIGEST=''
	[ "$5" = 1 ] || vx-store quota-set "$_q" 1000 0 || { not_ok "$_n: quotactl Q_SETQUOTA works"; return 1; }
	asuser dd if=/dev/zero of="$_d/big" bs=1M count=64 2>/dev/null ||
		{ not_ok "$_n: the user writes 64 MiB"; return 1; }
	sync
	_u0=$(usage "$_q")
	if [ "$5" = 1 ]; then
		_lim=$(vx-store quota-get "$_q" 1000 | cut -d' ' -f2)
	else
		_lim=$((_u0 / 1024 + 100))
		vx-store quota-set "$_q" 1000 $_lim
	fi
	diag "$_n: the user's usage after the data: $_u0 bytes, hard limit $_lim KiB"
	check_eq "$_n: the limit holds the data and less than its tree" yes \
		"$([ $((_lim * 1024)) -ge "$_u0" ] && [ $((_lim * 1024)) -lt $((_u0 + TREE)) ] && echo yes)"
	_o0=$(store_objects "${_s:-/nonexistent}")
	check_eq "$_n: enable as the user over the limit is EDQUOT" EDQUOT \
		"$(vx_errno asuser fsverity enable "$_d/big")"
	check_eq "$_n: ... the file stays plain" ENODATA "$(vx_errno fsverity measure "$_d/big")"
	[ -z "$_s" ] || check_eq "$_n: ... no object left in the store" "$_o0" "$(store_objects "$_s")"
	sync
	_u1=$(usage_settles "$_q" $((_u0 + 8192)))
	check_eq "$_n: ... the user's usage is back to the data's" yes \
		"$([ "$_u1" -le $((_u0 + 8192)) ] && echo yes || echo "no: $_u1 after, $_u0 before")"
	vx-store quota-set "$_q" 1000 $((_lim + 4096))
	check_eq "$_n: with 4 MiB more, enable as the user works" ok \
		"$(vx_errno asuser fsverity enable "$_d/big")"
	DIGEST=$(fsverity measure "$_d/big" 2>&1 | cut -d' ' -f1)
	sync
	diag "$_n: right after the enable the user is charged $(($(usage "$_q") - _u0)) bytes more"
	# What stays charged once the files are closed and their inodes gone
	# (xfs keeps speculative preallocation past EOF while a file is open).
	$6
	DELTA=$(($(usage "$_q") - _u0))
	diag "$_n: the enable charged the user $DELTA bytes (tree $TREE)"
	check_eq "$_n: ... and charged the user about the tree (+0..128 KiB)" yes \
		"$([ $DELTA -ge $TREE ] && [ $DELTA -le $((TREE + 131072)) ] && echo yes || echo "no: $DELTA")"
}
release_native() { sync; echo 3 > /proc/sys/vm/drop_caches; }
release_vx() { umount $R; release_native; }
# lower_dev MNT: the device mounted at MNT.
lower_dev() { awk -v m="$1" '$2 == m { print $1 }' /proc/mounts | tail -n 1; }
# remount_lower MNT FS OPTS: the same device at MNT, with OPTS.
remount_lower() {
	_dev=$(lower_dev "$1")
	umount "$1" && mount -t "$2" -o "$3" "$_dev" "$1"
}

# (2) The oracle: native ext4 fs-verity.
if ! N=$(mk_lower ext4 -O verity,quota) || ! remount_lower "$N" ext4 usrquota; then
	not_ok "native ext4 with verity and quota (mkfs -O verity,quota, -o usrquota)"
	N=''
fi
if [ -n "$N" ]; then
	mkdir "$N/u" && chown 1000:1000 "$N/u"
	quota_case "native ext4" "$(lower_dev "$N")" "$N/u" "" 0 release_native
	ndelta=$DELTA ndigest=$DIGEST
	free_lower "$N"
fi

# (3) verityfs over each lower with user quota.
for fs in $LOWERS; do
	limited=
	case $fs in
	btrfs) skip "btrfs: quota" "btrfs has qgroups only, no per-user quota (quotactl)"; continue ;;
	ext4) L=$(mk_lower ext4 -O quota) && remount_lower "$L" ext4 usrquota ;;
	xfs) L=$(mk_lower xfs) && remount_lower "$L" xfs uquota ;;
	tmpfs)
		L=$(mktemp -d /mnt/tmpfs-q.XXXXXX)
		if ! kver_at_least 6 6; then
			skip "tmpfs: quota" "tmpfs has quota from 6.6 on ($KVER)"; continue
		fi
		if ! mount -t tmpfs -o "size=256m,usrquota,usrquota_block_hardlimit=$((65536 * 1024 + 100 * 1024))" tmpfs "$L" 2>/dev/null; then
			skip "tmpfs: quota" "mount -o usrquota refused ($KVER: CONFIG_TMPFS_QUOTA not set?)"; continue
		fi
		limited=1 ;;
	esac || { not_ok "$fs: a lower with user quota"; continue; }
	mount -t verityfs "$L" $R || { not_ok "$fs: mount verityfs"; free_lower "$L"; continue; }
	mkdir $R/u && chown 1000:1000 $R/u
	# The store made by root's enable (part 1 tests who makes it).
	echo x > $R/made-by-root && fsverity enable $R/made-by-root > /dev/null && rm $R/made-by-root
	q=$(lower_dev "$L")
	[ "$fs" = tmpfs ] && q=$L
	quota_case "$fs" "$q" $R/u "$L" "${limited:-0}" release_vx
	grep -q " $R " /proc/mounts || mount -t verityfs "$L" $R || not_ok "$fs: mount verityfs again"
	check_eq "$fs: the digest equals native ext4's" "$ndigest" "$DIGEST"
	check_eq "$fs: ... the object is the user's" 1000:1000 "$(owner "$(objof "$L" "$L/u/big")")"
	if [ -n "$ndelta" ] && [ -n "$DELTA" ]; then
		d=$((DELTA - ndelta))
		check_eq "$fs: ... the user was charged what native ext4 charges, within 64 KiB" yes \
			"$([ ${d#-} -le 65536 ] && echo yes || echo "no: $DELTA vs $ndelta")"
	fi
	check "$fs: umount" umount $R
	free_lower "$L"
done
check "rmmod" unload_module
echo "# $VX_CASE took $(($(cut -d. -f1 /proc/uptime) - t0)) s" >> /dev/ttyS1
