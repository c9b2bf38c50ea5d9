# SPDX-License-Identifier: GPL-2.0-only
# H2: asynchronous readahead fills racing with close, unlink, evict, umount.
# Copyright (C) 2026 The verityfs authors
#
# A readahead batch is filled and verified on a work queue after its direct
# read completes; nothing of the inode's verity state may be touched after
# its last page is unlocked, for an evict (close of an unlinked file,
# drop_caches, umount) may free it then. vx-trust stress keeps a pool of
# verity files of one to three tree levels read (read, mmap faults,
# readahead, checked against their pattern) through mount A and through a
# mount B that is mounted and unmounted over and over with readahead in
# flight, while new verity files are read ahead and unlinked at once and
# caches are dropped. The lower is a disk filesystem, whose O_DIRECT reads
# complete asynchronously. Where the kernel has KFENCE (6.12 and later) it
# is switched on, so that a use after free of a sampled object faults.
# Afterwards nothing is leaked, the module unloads and the log is clean.
#
# Longer runs: boot with vx.race_secs=N (VX_APPEND="vx.race_secs=600"; raise
# VX_CASE_TIMEOUT to match); N >= 120 also runs over xfs and btrfs.

race_secs=$(knob race_secs)
secs=${race_secs:-45}
lowers=ext4
[ "$secs" -ge 120 ] && lowers="ext4 xfs btrfs"

kfence_fast
load_module
log_mark
leaked=0
for fs in $lowers; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	A=/mnt/vx-ra-a B=/mnt/vx-ra-b
	mkdir -p $A $B
	mount -t verityfs "$L" $A || { not_ok "$fs: mount verityfs"; continue; }
	start=$(date +%s)
	r=$(vx-trust stress $A $B "$L" "$secs")
	diag "$fs: stress: $r ($(( $(date +%s) - start )) s)"
	check_eq "$fs: ${secs}s of reads, readahead, unlink, drop_caches and umount: no error" ok "${r%% *}"
	umount $B 2>/dev/null
	umount $A
	verity_leak_checks "$fs"
	if umount "$L"; then
		ok "$fs: the lower unmounts"
	else
		not_ok "$fs: the lower unmounts" "still busy: verity state leaked"
		leaked=1
	fi
done
if [ $leaked = 0 ]; then
	check "rmmod verityfs" unload_module
else
	not_ok "rmmod verityfs" "not tried: verity state leaked (rmmod would WARN)"
fi
kfence_off
check_log_clean
