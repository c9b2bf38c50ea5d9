# SPDX-License-Identifier: GPL-2.0-only
# errors=panic: reading a corrupted block must panic the kernel, naming the
# mount, the inode and the position. Run only by name, by
# scripts/check-panic.sh, which passes only on exactly that panic.
# Copyright (C) 2026 The verityfs authors

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-panic
mkdir -p "$mnt"
mount -t verityfs -o errors=panic "$lower" "$mnt" || { not_ok "mount -o errors=panic"; return 0; }
check "/proc/mounts shows errors=panic" grep -q " $mnt verityfs .*errors=panic" /proc/mounts
head -c 65536 "$DATA/rand1m" > "$mnt/f"
fsverity enable "$mnt/f"
check "a good read under errors=panic does not panic" cat "$mnt/f"
ino=$(stat -c %i "$mnt/f")
umount "$mnt"
# The third block (pos=8192) changes on the lower.
printf 'X' | dd of="$lower/f" bs=1 seek=8300 conv=notrunc 2>/dev/null
mount -t verityfs -o errors=panic "$lower" "$mnt"
dev=$(awk -v m="$mnt" '$5 == m { print $3 }' /proc/self/mountinfo)
echo "# panic-expect dev=$dev inode=$ino pos=8192" >> /dev/ttyS1
ok "about to read a corrupted block under errors=panic"
dd if="$mnt/f" of=/dev/null bs=4096 skip=2 count=1 2>/dev/null
not_ok "the read of a corrupted block under errors=panic returned"
