# SPDX-License-Identifier: GPL-2.0-only
# Mount flags: nosuid, nodev and noexec hold on a verityfs mount, as on a bind.
# Copyright (C) 2026 The verityfs authors
#
# A set-user-id root copy of vx-trust run by nobody, a character device
# opened, a program run and a file mapped PROT_EXEC: through a bind mount of
# the lower directory with the flag and through a verityfs mount with it,
# the results must be the same. Without a flag (the first row) the set-user-id
# program runs as root and everything works, which shows each probe can tell.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
x=$lower/x
mkdir -p "$x" /mnt/vx-bind /mnt/vx-flag
cp /bin/vx-trust "$x/suid"
chmod 4755 "$x/suid"
cp /bin/vx-trust "$x/exe"
chmod 0755 "$x/exe"
mknod "$x/null" c 1 3
chmod 0666 "$x/null"

# Normalise what a failed exec prints (the message names the path).
run() {
	_o=$("$@" 2>&1)
	case $_o in
	euid=*) echo "$_o" ;;
	*"Permission denied"*) echo EACCES ;;
	*) echo "other: $_o" ;;
	esac
}

probe() {
	echo "suid=$(run vx-asuser 65534 65534 "$1/suid" ids) dev=$(vx-trust openw "$1/null")" \
		"exec=$(run "$1/exe" ids) mmapexec=$(vx-trust mmapexec "$1/exe")"
}

for flag in defaults nosuid nodev noexec; do
	mount --bind "$x" /mnt/vx-bind && mount -o "remount,bind,$flag" /mnt/vx-bind ||
		not_ok "$flag: bind mount"
	want=$(probe /mnt/vx-bind)
	umount /mnt/vx-bind
	mount -t verityfs -o "$flag" "$x" /mnt/vx-flag || not_ok "$flag: verityfs mount"
	got=$(probe /mnt/vx-flag)
	umount /mnt/vx-flag
	check_eq "$flag: through verityfs as through the bind" "$want" "$got"
	[ "$flag" = defaults ] && check_eq "defaults (control): the probes see a mount without flags" \
		"suid=euid=0 dev=ok exec=euid=0 mmapexec=ok" "$want"
done
umount "$lower"
check "rmmod verityfs" unload_module
