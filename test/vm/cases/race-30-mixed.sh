# SPDX-License-Identifier: GPL-2.0-only
# Race stress: reads, readahead, faults, unlink, umount, enables, two mounts.
# Copyright (C) 2026 The verityfs authors
#
# Everything of race-20 at once with enables: mount A stays, mount B is
# mounted and unmounted over and over; readers read, fault and read ahead
# the pool through both; new files are enabled through A and unlinked at
# once after readahead; files with hard links made on the lower are opened
# through B before their enable through A (B's old fd is then read and read
# ahead), while fresh link names are opened through A and B during the
# enable; caches are dropped. No WARN (panic_on_warn), no oops, no error,
# no leak: the lower unmounts, the hash cache and the slabs are empty, the
# module unloads, the log is clean. KFENCE is switched on where it exists.
# (A lookup through B of a new name of the file, without an open, before
# readahead on B's old fd, is trust-90's: today it WARNs, which would end
# the guest here, before most of the suite has run.)
#
# Longer runs: boot with vx.race_secs=N (VX_APPEND="vx.race_secs=600"; raise
# VX_CASE_TIMEOUT to match). Default 45 s.

race_secs=$(knob race_secs)
secs=${race_secs:-45}

kfence_fast
load_module
log_mark
L=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
A=/mnt/vx-mix-a B=/mnt/vx-mix-b
mkdir -p $A $B
mount -t verityfs "$L" $A || { not_ok "mount verityfs"; return 0; }
start=$(date +%s)
r=$(vx-trust stress $A $B "$L" "$secs" mixed)
diag "stress: $r ($(( $(date +%s) - start )) s)"
check_eq "${secs}s of mixed stress with enables and two mounts: no error" ok "${r%% *}"
umount $B 2>/dev/null
umount $A
verity_leak_checks
if umount "$L"; then
	ok "the lower unmounts (no verity state of it leaked)"
	check "rmmod verityfs" unload_module
else
	not_ok "the lower unmounts (no verity state of it leaked)" "still busy"
	not_ok "rmmod verityfs" "not tried: verity state leaked (rmmod would WARN)"
fi
kfence_off
check_log_clean
