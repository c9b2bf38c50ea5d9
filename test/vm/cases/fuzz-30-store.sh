# SPDX-License-Identifier: GPL-2.0-only
# Random damage to the metadata store on each lower: object headers,
# descriptors, trees, cut, grown, swapped or replaced objects, changed, cut
# or grown records; then open, measure, dump and read (vx-fuzz damage). A
# damaged file never serves bytes that are not its own, a refusal is logged.
# Copyright (C) 2026 The verityfs authors
#
# Kernel command line: vx.fuzz_rounds=N per lower (default 40),
# vx.fuzz_fs="..." (default all four), vx.fuzz_seed=S.

rounds=$(knob fuzz_rounds); rounds=${rounds:-40}
fss=$(knob fuzz_fs); fss=${fss:-$LOWERS}
seed=$(knob fuzz_seed); seed=${seed:-1}

load_module
mkdir -p /mnt/fd
for fs in $fss; do
	L=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$L" /mnt/fd || { not_ok "$fs: mount"; continue; }
	vx-fuzz damage "$DATA/stress.tab" /mnt/fd "$L" "$rounds" "$seed" > /tmp/fuzz.out 2>&1
	rc=$?
	grep '^FAIL' /tmp/fuzz.out | head -n 20
	grep '^# ' /tmp/fuzz.out | sed "s/^# /# [$fs] /" >> /dev/ttyS1
	check_eq "$fs: $rounds damaged objects and records (seed $seed) fail closed" 0 "$rc"
	check "$fs: umount" umount /mnt/fd
	free_lower "$L"
	seed=$((seed + 1))
done
check "rmmod" unload_module
