# SPDX-License-Identifier: GPL-2.0-only
# Randomized operations (fixed seeds, bounded count and time) through
# verityfs, contents checked against a model and against the lower view after
# every step, mmap included.
# Copyright (C) 2026 The verityfs authors

load_module
mkdir -p /mnt/f
for fs in $LOWERS; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
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
