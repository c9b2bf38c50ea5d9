# SPDX-License-Identifier: GPL-2.0-only
# Mounting verityfs: source, errors, options, ro/rw/remount, over itself,
# fstab, stacking depth, rmmod refused while mounted.
# Copyright (C) 2026 The verityfs authors

load_module
L=$(mk_lower ext4) || { not_ok "make an ext4 lower"; return; }
mkdir -p /mnt/v "$L/d"
echo hello > "$L/d/f"

check "mount -t verityfs LOWER MNT" mount -t verityfs "$L" /mnt/v
check_eq "a lower file reads through the mount" hello "$(cat /mnt/v/d/f)"
check "/proc/mounts lists the mount as verityfs" grep -q "^$L /mnt/v verityfs " /proc/mounts
check_eq "statfs total blocks are the lower's" "$(stat -f -c '%b %S' "$L")" "$(stat -f -c '%b %S' /mnt/v)"
check_eq "inode numbers are the lower's" "$(stat -c %i "$L/d/f")" "$(stat -c %i /mnt/v/d/f)"
check_fails "rmmod is refused while mounted" "in use\\|temporarily unavailable" rmmod verityfs
check "umount" umount /mnt/v

check_fails "missing lower: ENOENT" "No such file" mount -t verityfs /nonexistent /mnt/v
check_fails "lower is a file: ENOTDIR" "Not a directory" mount -t verityfs "$L/d/f" /mnt/v
check_fails "unknown option refused" "Invalid argument" mount -t verityfs -o bogus "$L" /mnt/v
check "unknown option is named in the kernel log" sh -c "dmesg | tail -n 20 | grep -q \"Unknown parameter 'bogus'\""
check_fails "malformed option value refused" "Invalid argument" mount -t verityfs -o require_signatures=maybe "$L" /mnt/v

check "mount -o require_signatures" mount -t verityfs -o require_signatures "$L" /mnt/v
check "show_options: require_signatures in /proc/mounts" grep -q "/mnt/v verityfs .*require_signatures" /proc/mounts
check "remount -o norequire_signatures" mount -o remount,norequire_signatures /mnt/v
if grep -q "/mnt/v verityfs .*require_signatures" /proc/mounts; then
	not_ok "remount changed the option"
else
	ok "remount changed the option"
fi
check "remount ro" mount -o remount,ro /mnt/v
check_fails "ro mount refuses writes" "Read-only" touch /mnt/v/d/new
check "remount rw" mount -o remount,rw /mnt/v
check "rw again takes writes" touch /mnt/v/d/new
check "umount" umount /mnt/v

check "mount -o ro" mount -t verityfs -o ro "$L" /mnt/v
check "/proc/mounts shows ro" grep -q "/mnt/v verityfs ro" /proc/mounts
check_fails "ro: mkdir refused" "Read-only" mkdir /mnt/v/x
check "umount" umount /mnt/v

# Over itself: every path stays the same.
check "mount over itself" mount -t verityfs "$L" "$L"
check_eq "files read the same over itself" hello "$(cat "$L/d/f")"
check "write through the self-mount" sh -c "echo again > '$L/d/g'"
check "stack a second level (verityfs over verityfs)" mount -t verityfs "$L" /mnt/v
check_eq "second level reads" again "$(cat /mnt/v/d/g)"
mkdir -p /mnt/v3
check_fails "a third level exceeds the stacking depth" "Invalid argument" mount -t verityfs /mnt/v /mnt/v3
check "umount the second level" umount /mnt/v
check "umount the self-mount" umount "$L"
check_eq "the lower kept the file written over itself" again "$(cat "$L/d/g")"

# fstab
echo "$L /mnt/v verityfs defaults,require_signatures 0 0" > /etc/fstab
check "mount from fstab" mount /mnt/v
check "fstab options applied" grep -q "/mnt/v verityfs .*require_signatures" /proc/mounts
check "umount" umount /mnt/v
: > /etc/fstab

check "a read-only lower mount refuses writes through verityfs" mount -o remount,ro "$L"
check "mount on a ro lower" mount -t verityfs "$L" /mnt/v
check_fails "write through to a ro lower: EROFS" "Read-only" touch /mnt/v/d/h
check "umount" umount /mnt/v
mount -o remount,rw "$L"
check "rmmod after the last umount" unload_module
