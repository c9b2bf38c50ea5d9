# SPDX-License-Identifier: GPL-2.0-only
# Random ioctls on verity and plain files and a directory through verityfs,
# native and through the 32-bit entry; the fs-verity ones are made again on
# native ext4 fs-verity twins and must give the same results (vx-fuzz ioctl).
# Copyright (C) 2026 The verityfs authors
#
# Kernel command line: vx.fuzz_calls=N per lower (default 4000),
# vx.fuzz_fs="..." (default all four), vx.fuzz_seed=S (default 1).

calls=$(knob fuzz_calls); calls=${calls:-4000}
fss=$(knob fuzz_fs); fss=${fss:-$LOWERS}
seed=$(knob fuzz_seed); seed=${seed:-1}
to_host() { echo "$*" >> /dev/ttyS1; }

load_module
N=$(mk_lower ext4 -O verity) || { not_ok "native ext4 with the verity feature"; return 0; }
mkdir -p /mnt/fz
for fs in $fss; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$L" /mnt/fz || { not_ok "$fs: mount"; continue; }
	mkdir -p /mnt/fz/x "$N/x-$fs"
	vx-fuzz ioctl /mnt/fz/x "$N/x-$fs" "$calls" "$seed" > /tmp/fuzz.out 2>&1
	rc=$?
	grep '^FAIL' /tmp/fuzz.out | head -n 20
	grep '^# ' /tmp/fuzz.out | sed "s/^# /# [$fs] /" >> /dev/ttyS1
	check_eq "$fs: $calls random ioctls (seed $seed), verity ones as native ext4's" 0 "$rc"
	check "$fs: umount" umount /mnt/fz
	free_lower "$L"
	seed=$((seed + 1))
done
free_lower "$N"
check "rmmod" unload_module
