# SPDX-License-Identifier: GPL-2.0-only
# The permission parity cases' driver (perm-*): twin fixtures on one lower,
# one used directly, the other through verityfs, every operation as every
# user on both (test/vm/tools/vx-perm.c), errnos and resulting states
# compared. Differences are bugs unless allow.txt lists them with a reason
# (and docs/passthrough.md explains them).
#
# Copyright (C) 2026 The verityfs authors

PERM_DIR=${PERM_DIR:-/test/perm}

# The protections Debian turns on (systemd's 50-default.conf), so that the
# VFS's own checks of links and sticky directories are part of the parity.
PERM_SYSCTLS="protected_hardlinks protected_symlinks protected_regular protected_fifos"

perm_sysctls_on() {
	_perm_saved=
	for _s in $PERM_SYSCTLS; do
		[ -w /proc/sys/fs/$_s ] || continue
		_perm_saved="$_perm_saved $_s=$(cat /proc/sys/fs/$_s)"
		echo 1 > /proc/sys/fs/$_s
	done
}

perm_sysctls_off() {
	for _s in $_perm_saved; do
		echo "${_s#*=}" > "/proc/sys/fs/${_s%%=*}"
	done
}

# perm_report FS < vx-perm output: one TAP line per difference.
perm_report() {
	while IFS= read -r _line; do
		_kind=${_line%% *} _rest=${_line#* }
		case $_kind in
		same) ok "$1: ${_rest% *}: ${_rest##* } operations give the lower's errno and state" ;;
		diff) not_ok "$1: ${_rest%%: *}" "${_rest#*: }" ;;
		allow) diag "$1: allowed: $_rest" ;;
		allowed) ok "$1: ${_rest%% *} allowed differences: ${_rest#* }" ;;
		unused) diag "$1: allow.txt entry matched nothing here: ${_rest#* }" ;;
		run) ;;
		time|rebuild) diag "$1: $_line" ;;
		*) not_ok "$1: vx-perm: $_line" ;;
		esac
	done
}

# perm_lower FS [VX-PERM OPTIONS...]: the whole suite over one lower.
perm_lower() {
	_fs=$1; shift
	load_module
	L=$(mk_lower "$_fs") || { not_ok "$_fs: make the lower"; return; }
	mkdir -p "$L/A" "$L/B" /mnt/perm
	chmod 0755 "$L" "$L/A" "$L/B"
	if ! mount -t verityfs "$L/B" /mnt/perm; then
		not_ok "$_fs: mount verityfs over the twin"
		return
	fi
	perm_sysctls_on
	_t0=$(date +%s)
	vx-perm -T -k "$KID" -l "$_fs" -a "$PERM_DIR/allow.txt" "$@" "$L/A" /mnt/perm "$L/B" \
		> "/tmp/perm-$_fs.out" 2>&1
	_rc=$?
	_t1=$(date +%s)
	perm_report "$_fs" < "/tmp/perm-$_fs.out"
	case $_rc in 0|1) ;; *) not_ok "$_fs: vx-perm exited with status $_rc" ;; esac
	diag "$_fs: vx-perm took $((_t1 - _t0)) s"

	perm_mount_flags "$_fs"
	perm_sysctls_off
	umount /mnt/perm
	perm_release_lower "$L"
}

# perm_mount_flags FS: the lower's mount flags must hold through verityfs
# too. On a nosuid lower a setuid-root program runs as its caller; through
# verityfs, which cannot make the VFS ignore the bit, its exec is refused
# (docs/passthrough.md), never run as root; on a
# nodev,noexec lower devices do not open (may_open_dev) and files are not
# executable (path_noexec: access(X_OK) says EACCES). L and the mount as
# perm_lower left them.
perm_mount_flags() {
	for _t in "$L/A" "$L/B"; do
		cp /bin/vx-perm "$_t/suid" && chmod 4755 "$_t/suid"
	done
	if mount -o remount,nosuid "$L"; then
		check_eq "$1 nosuid: a setuid-root program on the lower runs as its caller" \
			"euid 1000" "$(vx-asuser 1000 1000 "$L/A/suid" --euid 2>&1)"
		check_fails "$1 nosuid: through verityfs its exec is refused: EPERM" "not permitted" \
			vx-asuser 1000 1000 /mnt/perm/suid --euid
		mount -o remount,suid "$L"
		check_eq "$1 suid again: through verityfs it runs as root, as on the lower" \
			"$(vx-asuser 1000 1000 "$L/A/suid" --euid 2>&1)" \
			"$(vx-asuser 1000 1000 /mnt/perm/suid --euid 2>&1)"
	else
		not_ok "$1: remount the lower nosuid"
	fi
	rm -f "$L/A/suid" "$L/B/suid"
	if mount -o remount,suid,nodev,noexec "$L"; then
		vx-perm -k "$KID" -l "$1+nodev,noexec" -a "$PERM_DIR/allow.txt" -u alice,bob \
			-o 'access-x,open-r,open-w' -O 'f/cr,f/pa,f/a4777' \
			"$L/A" /mnt/perm "$L/B" > "/tmp/perm-$1-flags.out" 2>&1
		perm_report "$1 nodev,noexec" < "/tmp/perm-$1-flags.out"
	else
		not_ok "$1: remount the lower nodev,noexec"
	fi
	mount -o remount,dev,exec "$L"
}

# Unmount a lower of mk_lower and free its loop device and image.
perm_release_lower() {
	_dev=$(awk -v m="$1" '$2 == m { print $1 }' /proc/mounts)
	umount "$1" || return
	case $_dev in /dev/loop*) losetup -d "$_dev" ;; esac
	rm -f "/tmp/${1#/mnt/}.img"
	rmdir "$1"
}

# perm_reserved: ext4 keeps blocks for root (mke2fs -m). A user writing
# through verityfs must run out of space where the lower stops them, not use
# root's reserve (the lower write runs with the mounter's credentials).
# Twins as above, each filled by alice in turn; prints nothing, reports TAP.
perm_reserved() {
	_img=/tmp/perm-reserved.img
	truncate -s 64M "$_img" && mkfs.ext4 -q -F -b 4096 -m 50 "$_img" >/dev/null &&
		_dev=$(losetup -f) && losetup "$_dev" "$_img" || { not_ok "ext4 -m 50: make it"; return; }
	mkdir -p /mnt/perm-res /mnt/perm
	mount -t ext4 "$_dev" /mnt/perm-res && mkdir /mnt/perm-res/A /mnt/perm-res/B &&
		chown 1000:1000 /mnt/perm-res/A /mnt/perm-res/B &&
		mount -t verityfs /mnt/perm-res/B /mnt/perm || { not_ok "ext4 -m 50: mount"; return; }
	for _t in /mnt/perm-res/A /mnt/perm; do
		vx-asuser 1000 1000 dd if=/dev/zero of=$_t/fill bs=1M count=48 > /tmp/perm-dd.out 2>&1
		_r="exit $? $(grep -o 'No space left on device' /tmp/perm-dd.out), $(( $(stat -c %s $_t/fill) >> 20 )) MiB"
		[ "$_t" = /mnt/perm ] && _via=$_r || _direct=$_r
		rm -f $_t/fill
		sync
	done
	check_eq "ext4: alice's write stops at root's reserve through verityfs too" "$_direct" "$_via"
	umount /mnt/perm
	umount /mnt/perm-res
	losetup -d "$_dev"
	rm -f "$_img"
}
