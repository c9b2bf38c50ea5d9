# SPDX-License-Identifier: GPL-2.0-only
# The module loads, registers the filesystem type and its sysfs tree, and
# unloads cleanly, twice.
# Copyright (C) 2026 The verityfs authors

check "modprobe verityfs" load_module
check "/proc/filesystems lists verityfs" grep -qw verityfs /proc/filesystems
check "module version is set" test -n "$(cat /sys/module/verityfs/version)"
check_eq "/sys/fs/verityfs/features/verity" supported "$(cat /sys/fs/verityfs/features/verity)"
check_eq "hash cache starts empty" 0 "$(cat /sys/fs/verityfs/hash_cache/bytes)"
check "hash cache counters are readable" cat /sys/fs/verityfs/hash_cache/hits \
	/sys/fs/verityfs/hash_cache/misses /sys/fs/verityfs/hash_cache/evictions \
	/sys/fs/verityfs/hash_cache/verified_blocks /sys/fs/verityfs/hash_cache/failures
check_eq "hash_cache_mb parameter defaults to 64" 64 \
	"$(cat /sys/module/verityfs/parameters/hash_cache_mb)"
check "rmmod verityfs" unload_module
if grep -qw verityfs /proc/filesystems || [ -e /sys/fs/verityfs ]; then
	not_ok "verityfs is gone from /proc/filesystems and /sys/fs after rmmod"
else
	ok "verityfs is gone from /proc/filesystems and /sys/fs after rmmod"
fi
check "module loads again with a parameter" modprobe verityfs hash_cache_mb=1
check_eq "and takes it" 1 "$(cat /sys/module/verityfs/parameters/hash_cache_mb)"
check "and unloads again" unload_module
