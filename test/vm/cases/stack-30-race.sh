# SPDX-License-Identifier: GPL-2.0-only
# Rename and link races between two processes through verityfs, and racing
# changes made directly in the lower, on every lower fs.
# Copyright (C) 2026 The verityfs authors

load_module
mkdir -p /mnt/r
for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mkdir -p "$L/race" "$L/mix"
	if ! mount -t verityfs "$L" /mnt/r; then
		not_ok "$fs: mount"
		continue
	fi
	check "$fs: rename/link race between two processes" vx-sys race /mnt/r/race 300
	# One process through verityfs, one directly on the lower.
	(i=0; while [ $i -lt 150 ]; do echo $i > "$L/mix/f"; mv "$L/mix/f" "$L/mix/g" 2>/dev/null; rm -f "$L/mix/g"; i=$((i + 1)); done) &
	j=0
	while [ $j -lt 150 ]; do
		cat /mnt/r/mix/f /mnt/r/mix/g > /dev/null 2>&1
		ls /mnt/r/mix > /dev/null
		touch /mnt/r/mix/h$((j % 5)) 2>/dev/null
		j=$((j + 1))
	done
	wait
	check_eq "$fs: after racing with the lower, the listing matches the lower" \
		"$(vx-sys readdir "$L/mix")" "$(vx-sys readdir /mnt/r/mix)"
	check "$fs: umount" umount /mnt/r
	umount "$L" 2>/dev/null
done
check "rmmod" unload_module
