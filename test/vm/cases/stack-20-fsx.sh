# SPDX-License-Identifier: GPL-2.0-only
# Randomized operations (fixed seeds, bounded count and time) through
# verityfs, contents checked against a model and against the lower view after
# every step, mmap included.

# stack_lower FS: mk_lower, but xfs gets the 320 MiB mkfs.xfs insists on.
stack_lower() {
	if [ "$1" != xfs ]; then
		mk_lower "$1"
		return
	fi
	mkdir -p /mnt
	_m=$(mktemp -d /mnt/xfs.XXXXXX) || return 1
	_i=/tmp/${_m#/mnt/}.img
	modprobe -q loop; modprobe -q xfs
	truncate -s 320M "$_i" && mkfs.xfs -q -f "$_i" > /dev/null &&
		_d=$(losetup -f) && losetup "$_d" "$_i" && mount -t xfs "$_d" "$_m" || return 1
	echo "$_m"
}

load_module
mkdir -p /mnt/f
for fs in $LOWERS; do
	L=$(stack_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	if ! mount -t verityfs "$L" /mnt/f; then
		not_ok "$fs: mount"
		continue
	fi
	for seed in 1 2; do
		check "$fs: vx-fsx seed $seed" vx-fsx /mnt/f/fsx$seed -s $seed -n 600 -t 25 -L "$L/fsx$seed"
	done
	check "$fs: umount" umount /mnt/f
	umount "$L" 2>/dev/null
done
check "rmmod" unload_module
