# SPDX-License-Identifier: GPL-2.0-only
# H2: an evict during a readahead fill frees nothing the fill still uses.
# Copyright (C) 2026 The verityfs authors
#
# A readahead batch is verified by a work item, which unlocks the batch's
# pages as it goes; an evict (here: the close of an unlinked file) waits for
# those pages and then frees the inode's verity state. The work item must
# not touch that state after its last unlock_page(). The window is a few
# instructions, so the case makes it wide: one CPU online, full preemption
# (/sys/kernel/debug/sched/preempt, 6.1 and later), and the evicting task
# real-time, so that the last unlock_page() hands it the CPU at once and it
# finishes the evict before the work item goes on. The verifier's scratch
# buffer (4 KiB for these one-level files) is what the work item gives back
# to the freed state; given back into freed memory, it is lost: kmalloc-4k
# grows by one object per file. It must not grow (and nothing may crash).
# The same loop without a real-time task is run first, for the noise level.
# Where the kernel has KFENCE (6.12 and later) and the count stayed flat,
# the loop runs once more with KFENCE sampling, which faults on any access
# to a sampled freed object (and ends the guest: panic_on_warn); with the
# count already grown that run is skipped, so that the rest of the suite
# still reports. 5.10 cannot switch to full preemption: the case skips.

files=40
preempt=/sys/kernel/debug/sched/preempt
cpu1=/sys/devices/system/cpu/cpu1/online
if [ ! -w $preempt ]; then
	skip "evict during readahead" "no $preempt on $(uname -r) (no dynamic preemption)"
	return 0
fi

load_module
log_mark
L=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
M=/mnt/vx-evict
mkdir -p $M
mount -t verityfs "$L" $M || { not_ok "mount verityfs"; return 0; }

# run_loop RT: kmalloc-4k growth over $files evicts during readahead.
run_loop() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	_before=$(slab_in_use kmalloc-4k)
	_t=$(date +%s)
	_r=$(vx-trust evict-race $M $files "$1")
	_t=$(( $(date +%s) - _t ))
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	_after=$(slab_in_use kmalloc-4k)
	echo "$_r growth=$((_after - _before)) (${_t}s)"
}

# rt_loop: run_loop 1 on one CPU with full preemption, then as before.
was=$(sed 's/.*(\(.*\)).*/\1/' $preempt)
rt_loop() {
	[ -w $cpu1 ] && echo 0 > $cpu1
	echo full > $preempt
	run_loop 1
	echo "$was" > $preempt
	[ -w $cpu1 ] && echo 1 > $cpu1
}

r=$(run_loop 0)
diag "without a real-time task: $r"
check_eq "control: $files evicts during readahead, normal scheduling" ok "${r%% *}"
r=$(rt_loop)
diag "real-time evictor, one CPU, full preemption (was $was): $r"
check_eq "$files evicts that win the race against the readahead fill" ok "${r%% *}"
growth=${r##*growth=}
growth=${growth%% *}
if [ "$growth" -lt $((files / 4)) ]; then
	ok "nothing of the freed verity state is written to (kmalloc-4k grew by $growth)"
	kf=/sys/module/kfence/parameters/sample_interval
	if [ -w $kf ] && echo 1 > $kf 2>/dev/null; then
		r=$(rt_loop)
		echo 0 > $kf
		diag "again with KFENCE sampling every 1 ms: $r"
		check_eq "$files more such evicts with KFENCE on" ok "${r%% *}"
	fi
else
	not_ok "nothing of the freed verity state is written to" \
		"kmalloc-4k grew by $growth over $files files: the fill gave its scratch back to freed state"
fi
umount $M
check_eq "the hash cache is empty" 0 "$(cat /sys/fs/verityfs/hash_cache/bytes)"
check "the lower unmounts" umount "$L"
check "rmmod verityfs" unload_module
check_log_clean
