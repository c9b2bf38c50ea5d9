# SPDX-License-Identifier: GPL-2.0-only
# Random mounts: mount(2) options and flags, fsopen/fsconfig parameters of
# every type, sources that are not directories, stacked mounts, remounts
# (vx-fuzz mount). Any errno, never a crash; the lower is intact afterwards.
# Copyright (C) 2026 The verityfs authors
#
# Kernel command line: vx.fuzz_mounts=N (default 300), vx.fuzz_seed=S.

n=$(knob fuzz_mounts); n=${n:-300}
seed=$(knob fuzz_seed); seed=${seed:-1}

load_module
L=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mkdir -p /mnt/fm
mount -t verityfs "$L" /mnt/fm && head -c 100000 "$DATA/rand1m" > /mnt/fm/v1 &&
	fsverity enable /mnt/fm/v1 && umount /mnt/fm
want=$(fsverity digest "$L/v1" | cut -d' ' -f1)
vx-fuzz mount "$L" /mnt/fm "$n" "$seed" > /tmp/fuzz.out 2>&1
rc=$?
grep '^FAIL' /tmp/fuzz.out | head -n 20
grep '^# ' /tmp/fuzz.out | sed "s/^# /# [mount] /" >> /dev/ttyS1
check_eq "$n random mounts and remounts (seed $seed)" 0 "$rc"
check_eq "nothing is left mounted" "" "$(grep ' /mnt/fm ' /proc/mounts)"
mount -t verityfs "$L" /mnt/fm
check_eq "the verity file measures as before" "$want" "$(fsverity measure /mnt/fm/v1 | cut -d' ' -f1)"
umount /mnt/fm
free_lower "$L"
check "rmmod" unload_module
