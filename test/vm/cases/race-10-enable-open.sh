# SPDX-License-Identifier: GPL-2.0-only
# M3: enables racing with opens through other hard links leak nothing.
# Copyright (C) 2026 The verityfs authors
#
# Between the commit of an enable (the record on the lower file) and the
# publishing of its state, an open through another hard link must not
# install a second state that the publish then overwrites. vx-trust
# race-enable-open enables file after file while a child opens fresh link
# names (each a new lookup) from the moment the record appears. Afterwards
# every file measures right, and once the mount is gone nothing of the lower
# is still held: the lower unmounts, the hash cache and the slabs are empty,
# the module unloads, and the log is clean.
#
# Longer runs: boot with vx.race_secs=N (VX_APPEND="vx.race_secs=600"; raise
# VX_CASE_TIMEOUT to match); this case then enables N files (default 30).

race_secs=$(knob race_secs)
nfiles=${race_secs:-30}

# race_finish LOWER: nothing of the lower held, nothing leaked, unload, clean log.
race_finish() {
	verity_leak_checks
	if umount "$1"; then
		ok "the lower unmounts (no verity state of it leaked)"
		check "rmmod verityfs" unload_module
	else
		not_ok "the lower unmounts (no verity state of it leaked)" "still busy"
		# rmmod would WARN on the leaked state and end the guest.
		not_ok "rmmod verityfs" "not tried: verity state leaked"
	fi
	check_log_clean
}

load_module
log_mark
L=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
M=/mnt/vx-race-m3
mkdir -p $M
mount -t verityfs "$L" $M || { not_ok "mount verityfs"; return 0; }
start=$(date +%s)
r=$(vx-trust race-enable-open $M "$L" "$nfiles" 64)
diag "race-enable-open: $r ($(( $(date +%s) - start )) s)"
check_eq "$nfiles enables race opens of fresh hard links" ok "${r%% *}"
bad=0
i=0
while [ $i -lt "$nfiles" ]; do
	[ "$(fsverity measure $M/e$i 2>&1 | cut -d' ' -f1)" = "$(fsverity digest "$L/e$i" | cut -d' ' -f1)" ] ||
		bad=$((bad + 1))
	i=$((i + 1))
done
check_eq "every file measures as fsverity digest of its data" 0 "$bad"
umount $M
race_finish "$L"
