# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: what verityfs does, shown on a stock Debian kernel.
# Copyright (C) 2026 The verityfs authors

show() {
	echo "demo# $*"
	_out=$("$@" 2>&1); _rc=$?
	[ -z "$_out" ] || echo "$_out" | sed 's/^/demo  /'
	return $_rc
}

echo "demo# uname -r"; uname -r | sed 's/^/demo  /'
show modprobe verityfs
show grep verityfs /proc/filesystems
echo "demo# cat /sys/module/verityfs/version"; sed 's/^/demo  /' /sys/module/verityfs/version
lower=$(mk_lower ext4 -O verity) || { not_ok "mkfs"; return; }
cp "$DATA/rand1m" "$lower/tool.bin"
mkdir -p /srv/apps
echo "demo# the host's stock fsverity digest of these bytes:"
echo "demo  $(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)"
if show mount -t verityfs "$lower" /srv/apps; then
	show fsverity enable /srv/apps/tool.bin
	show fsverity measure /srv/apps/tool.bin
	show lsattr /srv/apps/tool.bin
	show sha256sum /srv/apps/tool.bin
	show umount /srv/apps
else
	echo "demo# (the stacking mount is not built yet; meanwhile, native ext4 fs-verity in this guest:)"
	show fsverity enable "$lower/tool.bin"
	show fsverity measure "$lower/tool.bin"
fi
umount "$lower"
show rmmod verityfs
ok "demo ran"
