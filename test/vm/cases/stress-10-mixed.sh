# SPDX-License-Identifier: GPL-2.0-only
# Mixed stress on each lower: enables, verified and plain readers, writers,
# renames, links and unlinks, drop_caches, a 1-2 MiB hash cache, a memory hog
# and a second mount cycling, for vx.stress_secs seconds (default 20) per
# lower; every byte checked against the host's digests (vx-stress).
# Copyright (C) 2026 The verityfs authors
#
# Kernel command line: vx.stress_secs=S, vx.stress_fs="ext4 xfs ..." (default
# all four). ext4, xfs and btrfs use the virtio disks vda, vdb and vdc when
# scripts/vm-stress.sh gives them, else loop images in guest memory.

secs=$(knob stress_secs); secs=${secs:-20}
fss=$(knob stress_fs); fss=${fss:-$LOWERS}
tab=$DATA/stress.tab
to_host() { echo "$*" >> /dev/ttyS1; }

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
# The lowers' modules load before the baseline: their caches are not ours.
modprobe -q -a virtio_pci virtio_blk loop ext4 xfs btrfs 2>/dev/null
sync; echo 3 > /proc/sys/vm/drop_caches
base_unrecl=$(meminfo SUnreclaim)
check "load verityfs with a 1 MiB hash cache" modprobe verityfs hash_cache_mb=1

stress_lower() {
	_dev=
	case $1 in ext4) _dev=/dev/vda ;; xfs) _dev=/dev/vdb ;; btrfs) _dev=/dev/vdc ;; esac
	if [ -n "$_dev" ] && [ -b "$_dev" ]; then
		modprobe -q "$1"
		mkdir -p "/mnt/disk-$1"
		case $1 in
		ext4) mkfs.ext4 -q -F -b 4096 "$_dev" ;;
		xfs) mkfs.xfs -q -f "$_dev" ;;
		btrfs) mkfs.btrfs -q -f "$_dev" ;;
		esac > /dev/null && mount -t "$1" "$_dev" "/mnt/disk-$1" && echo "/mnt/disk-$1"
	else
		mk_lower "$1"
	fi
}

mkdir -p /mnt/st /mnt/st2
seed=1
for fs in $fss; do
	L=$(stress_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$L" /mnt/st || { not_ok "$fs: mount verityfs"; continue; }
	dev=$(awk '$5 == "/mnt/st" { print $3 }' /proc/self/mountinfo | tail -n 1)
	# A lower without O_DIRECT (tmpfs before 6.6): plain files are read buffered.
	nodirect=
	echo x > "$L/.odirect"
	vx-verity open "$L/.odirect" rd 2>&1 | grep -q '^ok' || nodirect=-D
	rm -f "$L/.odirect"
	log_mark
	vx-stress run "$tab" /mnt/st "$L" "$secs" -2 /mnt/st2 -s "$seed" $nodirect > /tmp/stress.out 2>&1
	rc=$?
	grep -E '^(FAIL|#)' /tmp/stress.out | head -n 30
	line=$(grep '^# stress seconds' /tmp/stress.out | tail -n 1)
	to_host "# [$fs] ${line#\# }"
	check_eq "$fs: $secs s of mixed stress, no failure, no wrong byte" 0 "$rc"
	vx-stress check "$tab" /mnt/st "$L" > /tmp/check.out 2>&1
	rc=$?
	grep -E '^(FAIL|#)' /tmp/check.out | head -n 20
	to_host "# [$fs] $(grep '^# check' /tmp/check.out | cut -c3-)"
	check_eq "$fs: afterwards every name is what it must be, no orphan, no missing object" 0 "$rc"
	check_eq "$fs: no corruption counted by the mount" 0 "$(cat /sys/fs/verityfs/$dev/corruptions)"
	check_eq "$fs: no block failed verification" 0 "$(cat /sys/fs/verityfs/hash_cache/failures)"
	used=$(cat /sys/fs/verityfs/hash_cache/bytes)
	to_host "# [$fs] hash_cache bytes=$used hits=$(cat /sys/fs/verityfs/hash_cache/hits) misses=$(cat /sys/fs/verityfs/hash_cache/misses) evictions=$(cat /sys/fs/verityfs/hash_cache/evictions)"
	check "$fs: the hash cache holds at most its 2 MiB budget ($used bytes)" test "$used" -le 2097152
	check_eq "$fs: no verityfs error in the kernel log" "" "$(log_since | grep -i 'verityfs' | grep -iE 'corrupt|error|fail' | head -n 3)"
	check "$fs: umount" umount /mnt/st
	free_lower "$L"
	seed=$((seed + 1))
done
check "rmmod verityfs (its caches are empty)" unload_module
sync; echo 3 > /proc/sys/vm/drop_caches
after=$(meminfo SUnreclaim)
to_host "# stress unreclaimable slab: ${base_unrecl} kB before loading, ${after} kB after rmmod"
check "unreclaimable slab back within 8 MiB of its baseline (${base_unrecl} -> ${after} kB)" \
	test $((after - base_unrecl)) -lt 8192
