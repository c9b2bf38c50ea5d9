# SPDX-License-Identifier: GPL-2.0-only
# The targets of the parity scenarios (see scenarios.sh for the interface):
# native ext4 fs-verity, and verityfs over ext4, xfs, btrfs or tmpfs.
# Copyright (C) 2026 The verityfs authors
#
# Corrupting "behind the filesystem" follows xfstests where it can: FIEMAP on
# the file (through verityfs, which passes it to the lower) gives the device
# offset, and the bytes are written onto the block device while it is
# unmounted. btrfs (logical addresses, data checksums) and tmpfs (no device)
# get the bytes written into the lower file instead, with verityfs unmounted;
# the Merkle tree of a verityfs file is written in its object in the store.
#
# target_native MNT / target_verityfs FS LOWER MNT select the target.

mount_dev() { awk -v m="$1" '$2 == m { print $1 }' /proc/mounts | tail -n 1; }

target_native() {
	T_KIND=native T_FS=ext4 T_MNT=$1 T_LOWER='' T_DEV=$(mount_dev "$1")
}

target_verityfs() {
	T_KIND=verityfs T_FS=$1 T_LOWER=$2 T_MNT=$3 T_DEV=
	case $1 in ext4|xfs) T_DEV=$(mount_dev "$2") ;; esac
}

# umount_retry MNT: umount, retrying for 5 s. Right after a killed enable
# native ext4 is busy for a moment too (the killed task's files are put
# asynchronously), so only a mount still busy after 5 s is reported.
umount_retry() {
	_i=0
	while ! umount "$1" 2> /dev/null; do
		_i=$((_i + 1))
		[ $_i -lt 25 ] || { echo "umount: still busy after 5 s"; return 1; }
		usleep 200000
	done
}

t_cycle() {
	umount_retry "$T_MNT" || return
	if [ "$T_KIND" = native ]; then
		mount -t ext4 "$T_DEV" "$T_MNT"
		return
	fi
	if [ -n "$T_DEV" ]; then
		umount "$T_LOWER" && mount -t "$T_FS" "$T_DEV" "$T_LOWER" || return
	fi
	mount -t verityfs "$T_LOWER" "$T_MNT"
}

# fiemap_segs FILE OFF LEN DEV: "dev DEV PHYS LEN" for the mapped parts.
fiemap_segs() {
	xfs_io -r -c "fiemap -v $2 $3" "$1" | awk -v off="$2" -v len="$3" -v dev="$4" '
	$1 ~ /^[0-9]+:$/ && $3 != "hole" {
		a = $2; gsub(/[^0-9.]/, "", a); split(a, l, /\.\./)
		split($3, p, /\.\./)
		es = l[1] * 512; ee = (l[2] + 1) * 512
		s = off > es ? off : es; e = off + len < ee ? off + len : ee
		if (s < e) printf "dev %s %.0f %.0f\n", dev, p[1] * 512 + s - es, e - s
	}'
}

t_locate() {	# FILE OFF LEN data|tree
	_size=$(stat -c %s "$1")
	if [ "$T_KIND" = native ]; then
		# ext4 keeps the tree past EOF, from the next 64 KiB boundary.
		_base=0
		[ "$4" = tree ] && _base=$(( (_size + 65535) / 65536 * 65536 ))
		fiemap_segs "$1" $((_base + $2)) "$3" "$T_DEV"
		return
	fi
	_lf=$T_LOWER/${1#"$T_MNT"/}
	if [ "$4" = tree ]; then
		# shellcheck disable=SC2046 # treeloc prints the words to split
		set -- $(vx-verity treeloc "$_lf" "$T_LOWER/.verityfs") "$2" "$3"
		echo "path $1 $(($2 + $3)) $4"
	elif [ -n "$T_DEV" ]; then
		fiemap_segs "$1" "$2" "$3" "$T_DEV"
	elif [ "$2" -lt "$_size" ]; then
		# Past EOF there is nothing of the file to write to.
		_l=$3
		[ $(($2 + _l)) -le "$_size" ] || _l=$((_size - $2))
		echo "path $_lf $2 $_l"
	fi
}

t_corrupt() {	# LIST
	umount "$T_MNT" || return
	grep '^path ' "$1" | while read -r _k _p _o _l; do
		xfs_io -c "pwrite -S 0x58 $_o $_l" -c fsync "$_p" > /dev/null
	done
	if grep -q '^dev ' "$1"; then
		[ "$T_KIND" = native ] || umount "$T_LOWER"
		grep '^dev ' "$1" | while read -r _k _d _o _l; do
			xfs_io -c "pwrite -S 0x58 $_o $_l" -c fsync "$_d" > /dev/null
		done
		[ "$T_KIND" = native ] || mount -t "$T_FS" "$T_DEV" "$T_LOWER"
	fi
	if [ "$T_KIND" = native ]; then
		mount -t ext4 "$T_DEV" "$T_MNT"
	else
		mount -t verityfs "$T_LOWER" "$T_MNT"
	fi
}
