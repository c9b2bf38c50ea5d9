# SPDX-License-Identifier: GPL-2.0-only
# Mount flags: a read-only verityfs mount changes nothing on the lower.
# Copyright (C) 2026 The verityfs authors
#
# Through a read-only bind mount of the lower directory and through a
# read-only verityfs mount of it, the same calls must give the same results,
# and after all of them the lower's objects must be exactly as before
# (atime, mtime, ctime, flags). Atimes are two days old before, so that an
# access that reached the lower would show.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
x=$lower/x
mkdir -p "$x/d" /mnt/vx-bind /mnt/vx-ro
echo data > "$x/r"
ln -s r "$x/s"
head -c 8192 "$DATA/rand1m" > "$x/m"

# snapshot: atime, mtime, ctime and flags of every lower object.
snapshot() {
	for _o in "$x" "$x/r" "$x/s" "$x/m" "$x/d"; do
		# lsattr would follow the symlink, and so change its atime.
		_f=
		[ -L "$_o" ] || _f=$(lsattr -d "$_o" | cut -d' ' -f1)
		echo "$_o $(vx-trust atime "$_o") $(stat -c '%Y %Z' "$_o") $_f"
	done
}

# calls DIR: the calls, one result per line.
calls() {
	echo "read: $(cat "$1/r" > /dev/null 2>&1 && echo ok || echo fail)"
	echo "list: $(ls "$1/d" "$1" > /dev/null 2>&1 && echo ok || echo fail)"
	echo "follow: $(cat "$1/s" > /dev/null 2>&1 && echo ok || echo fail)"
	echo "mmap: $(vx-trust mmap-touch "$1/m")"
	echo "open for write: $(vx-trust openw "$1/r")"
	echo "chattr +d: $(vx-trust chflags "$1/r" 40)"
	echo "FS_IOC_FSSETXATTR: $(vx-trust fssetxattr "$1/r")"
	echo "touch: $(touch "$1/r" 2>&1 | grep -q 'Read-only' && echo EROFS || echo ok)"
	echo "setfattr: $(setfattr -n user.x -v 1 "$1/r" 2>&1 | grep -q 'Read-only' && echo EROFS || echo ok)"
	echo "create: $(vx-trust create "$1/new")"
	echo "truncate: $(vx-trust truncate "$1/m" 0)"
}

for o in "$x" "$x/r" "$x/s" "$x/m" "$x/d"; do vx-trust setatime "$o" 172800 259200 > /dev/null; done
before=$(snapshot)
mount --bind "$x" /mnt/vx-bind && mount -o remount,bind,ro /mnt/vx-bind || not_ok "ro bind mount"
calls /mnt/vx-bind > /tmp/ro.bind
umount /mnt/vx-bind
check_eq "read-only bind (control): nothing changed on the lower" "$before" "$(snapshot)"

mount -t verityfs -o ro "$x" /mnt/vx-ro || not_ok "read-only verityfs mount"
calls /mnt/vx-ro > /tmp/ro.vx
umount /mnt/vx-ro
while IFS= read -r line; do
	what=${line%%: *}
	check_eq "read-only: $what as through a read-only bind" "$line" \
		"$(grep -F "$what: " /tmp/ro.vx | head -n 1)"
done < /tmp/ro.bind
after=$(snapshot)
check_eq "read-only verityfs: nothing changed on the lower" "$before" "$after"
[ "$before" = "$after" ] || diag "before:
$before
after:
$after"
umount "$lower"
check "rmmod verityfs" unload_module
