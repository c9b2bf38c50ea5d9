# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: what verityfs does, shown on a stock Debian kernel.

show() { echo "demo# $*"; "$@" 2>&1 | sed 's/^/demo  /'; }

echo "demo# uname -r"; uname -r | sed 's/^/demo  /'
show modprobe verityfs
show grep verityfs /proc/filesystems
echo "demo# modinfo: $(cat /sys/module/verityfs/version)"
lower=$(mk_lower ext4) || { not_ok "mkfs"; return; }
mkdir -p /srv/apps
cp "$DATA/rand1m" "$lower/tool.bin"
if show mount -t verityfs "$lower" /srv/apps; then
	show fsverity enable /srv/apps/tool.bin
	show fsverity measure /srv/apps/tool.bin
	echo "demo# host's fsverity digest of the same bytes: $(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)"
	show lsattr /srv/apps/tool.bin
	show umount /srv/apps
else
	echo "demo# (the stacking mount is not implemented in this version yet)"
fi
show rmmod verityfs
ok "demo ran"
