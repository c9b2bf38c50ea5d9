# SPDX-License-Identifier: GPL-2.0-only
# The module loads, registers the filesystem type, and unloads cleanly.

check "modprobe verityfs" load_module
check "/proc/filesystems lists verityfs" grep -qw verityfs /proc/filesystems
check "module version is VERSION" test -n "$(cat /sys/module/verityfs/version)"
check "rmmod verityfs" unload_module
if grep -qw verityfs /proc/filesystems; then
	not_ok "verityfs is gone from /proc/filesystems after rmmod"
else
	ok "verityfs is gone from /proc/filesystems after rmmod"
fi
check "module loads again after unload" load_module
check "and unloads again" unload_module
