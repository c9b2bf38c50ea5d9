# SPDX-License-Identifier: GPL-2.0-only
# Helpers for guest test cases (busybox ash): /test/guest-lib.sh in the guest,
# sourced by init before each case. (The host scripts' helpers are scripts/lib.sh.)
# Copyright (C) 2026 The verityfs authors
#
#   ok DESC / not_ok DESC [WHY] / skip DESC WHY / diag MSG
#   check DESC CMD...          ok when CMD exits 0, else not_ok with its output
#   check_eq DESC WANT GOT     ok when the two strings are equal
#   check_fails DESC ERRNO CMD...  ok when CMD fails and its message names ERRNO's text
#   mk_lower FS                a fresh ext4|xfs|btrfs|tmpfs; prints its mountpoint
#   free_lower MNT             unmount it and free its loop device and image
#   load_module / unload_module
#   store_objects LOWER        how many objects LOWER/.verityfs holds
#   log_mark / log_since       remember the kernel log's length; print what came after
#   check_log_clean            no WARN, BUG, oops or KFENCE report since log_mark
#   kfence_fast / kfence_off   KFENCE sampling every 1 ms (where possible), then off
#   persist_*                  the disks of scripts/vm-persist.sh (persist-* cases)
#   sweep_case                 (init, after each case) unmount and free what it left
#   knob NAME                  the value of vx.NAME=... on the kernel command line
#   kver_at_least MAJ MIN      the running kernel is MAJ.MIN or later
#   bench_emit / bench_fail / bench_disks / drop_caches   for the bench-* cases
#   slab_in_use CACHE          objects in use after a shrink (n/a: a merged cache)
#   verity_leak_checks [WHAT]  no verityfs mount left: nothing of verityfs is either
# Variables: KID (kernel id from kernels.list), KVER, LOWERS, DATA.

KVER=$(uname -r)
LOWERS="ext4 xfs btrfs tmpfs"

# kver_at_least MAJ MIN: the running kernel is MAJ.MIN or later.
kver_at_least() {
	_maj=${KVER%%.*}
	_min=${KVER#*.}
	_min=${_min%%.*}
	[ $((_maj * 100 + _min)) -ge $(($1 * 100 + $2)) ]
}
DATA=/test/data

# Results go to the console and, named after the case, straight to the
# result port, so that a crash later in the case loses nothing reported.
_vx_report() {
	echo "$1 - $2"
	echo "$1 - ${VX_CASE:-?}: $2" >> /dev/ttyS1
}
ok() { _vx_report ok "$*"; }
not_ok() { _vx_report "not ok" "$1${2:+ # $2}"; : > /tmp/vx-case-failed; }
skip() { _vx_report ok "$1 # SKIP $2"; }
diag() { echo "# $*"; }

check() {
	_desc=$1; shift
	if _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		not_ok "$_desc" "exit $?: $(echo "$_out" | tail -n 3 | tr '\n' ' ')"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "want '$2', got '$3'"
	fi
}

# Messages come from strerror(), e.g. "Operation not permitted" for EPERM.
check_fails() {
	_desc=$1 _want=$2; shift 2
	if _out=$("$@" 2>&1); then
		not_ok "$_desc" "succeeded, expected $_want"
	elif echo "$_out" | grep -qi "$_want"; then
		ok "$_desc"
	else
		not_ok "$_desc" "expected '$_want', got: $(echo "$_out" | tail -n 2 | tr '\n' ' ')"
	fi
}

store_objects() { ls "$1/.verityfs" 2>/dev/null | wc -l; }

# Never `dmesg -c`: init greps the whole log for WARN/BUG after the cases.
log_mark() { _vx_log_mark=$(dmesg | wc -l); }
log_since() { dmesg | tail -n +$((_vx_log_mark + 1)); }
# check_log_clean: ok when nothing since log_mark is a WARN, BUG, oops,
# KFENCE report or poison/corruption message.
check_log_clean() {
	if log_since | grep -E 'BUG|WARNING|Oops|KFENCE|Poison|corrupt' > /tmp/race.log; then
		not_ok "the kernel log is clean" "$(head -n 3 /tmp/race.log | tr '\n' ' ')"
	else
		ok "the kernel log is clean"
	fi
}

# kfence_fast / kfence_off: KFENCE sampling every 1 ms where the kernel
# lets us (a use-after-free in a race then shows as a report), and off again.
kfence_fast() {
	_vx_kf=/sys/module/kfence/parameters/sample_interval
	if [ -w $_vx_kf ] && echo 1 > $_vx_kf 2>/dev/null; then
		diag "KFENCE on, sampling every 1 ms"
	else
		_vx_kf=
	fi
}
kfence_off() { [ -z "$_vx_kf" ] || echo 0 > "$_vx_kf"; }

# sweep_case: what a case left behind goes before the next case starts: its
# mounts (newest first, so verityfs before its lower), its loop devices and
# everything in /tmp, where the lowers' images live, but /tmp/parity (native
# ext4's transcripts, which parity-00-native leaves for the parity cases).
# Without this the cases' lowers accumulate in the guest's RAM until /tmp is
# full and every later case fails to make a lower. Prints what it could not
# unmount.
sweep_case() {
	sed '1!G;h;$!d' /proc/mounts | while read -r _dev _m _rest; do
		case $_m in /|/proc|/sys|/sys/kernel/debug|/dev|/dev/pts|/dev/shm|/tmp) continue ;; esac
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null || echo "$_m"
	done
	for _d in /dev/loop[0-9]*; do losetup -d "$_d" 2>/dev/null; done
	for _f in /tmp/* /tmp/.[!.]*; do
		[ "$_f" = /tmp/parity ] || rm -rf "$_f" 2>/dev/null
	done
	return 0
}

# knob NAME: the value of vx.NAME=VALUE or vx.NAME="VALUE" on the kernel
# command line (scripts/vm-run.sh's VX_APPEND), or nothing.
knob() { sed -n "s/.*vx\.$1=\"\([^\"]*\)\".*/\1/p; t; s/.*vx\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }

# slab_in_use CACHE: objects of CACHE in use after a shrink; n/a for a cache
# merged into another (a symlink in /sys/kernel/slab, or none).
slab_in_use() {
	if [ -d "/sys/kernel/slab/$1" ] && [ ! -L "/sys/kernel/slab/$1" ]; then
		echo 1 > "/sys/kernel/slab/$1/shrink" 2>/dev/null
		awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
	else
		echo n/a
	fi
}

# verity_leak_checks [WHAT]: with every verityfs mount gone, the hash cache
# is empty and no verityfs inode, dentry or hash block is left.
verity_leak_checks() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1		# upper inodes are freed after an RCU grace period
	check_eq "${1:+$1: }the hash cache is empty" 0 "$(cat /sys/fs/verityfs/hash_cache/bytes)"
	for _c in verityfs_inode verityfs_dentry hblock; do
		_n=$(slab_in_use $_c)
		[ "$_n" = n/a ] || check_eq "${1:+$1: }slab $_c is back to no objects" 0 "$_n"
	done
}

load_module() { modprobe verityfs; }
unload_module() { rmmod verityfs; }

# mk_lower FS [MKFS OPTIONS...]: fresh filesystem, prints where it is mounted.
# ext4 gets 4 KiB blocks unless told otherwise (mke2fs picks 1 KiB for small
# images, which native ext4 fs-verity refuses on 4 KiB pages before 6.3).
mk_lower() {
	_fs=$1; shift
	mkdir -p /mnt
	_mnt=$(mktemp -d "/mnt/$_fs.XXXXXX") || return 1
	if [ "$_fs" = tmpfs ]; then
		mount -t tmpfs -o size=256m tmpfs "$_mnt" || return 1
		echo "$_mnt"
		return 0
	fi
	modprobe -q loop
	modprobe -q "$_fs"
	_img=/tmp/${_mnt#/mnt/}.img
	# Sparse, in guest RAM. xfsprogs 6.x refuses filesystems under 300 MB.
	case $_fs in
	ext4) truncate -s 256M "$_img" ;;
	*) truncate -s 320M "$_img" ;;
	esac
	case $_fs in
	ext4) mkfs.ext4 -q -F -b 4096 "$@" "$_img" ;;
	xfs) mkfs.xfs -q -f "$@" "$_img" ;;
	btrfs) mkfs.btrfs -q -f "$@" "$_img" ;;
	*) echo "mk_lower: unknown fs $_fs" >&2; return 1 ;;
	esac >/dev/null || return 1
	_dev=$(losetup -f) && losetup "$_dev" "$_img" && mount -t "$_fs" "$_dev" "$_mnt" || return 1
	echo "$_mnt"
}

# free_lower MNT: unmount a mk_lower filesystem and give its memory back
# (loop device, image in /tmp): the guest's RAM holds every image.
free_lower() {
	umount "$1" 2>/dev/null
	_img=/tmp/${1#/mnt/}.img
	for _l in /sys/block/loop*; do
		[ "$(cat "$_l/loop/backing_file" 2>/dev/null)" = "$_img" ] && losetup -d "/dev/${_l##*/}"
	done
	rm -f "$_img"
}

# The persistent virtio disks of scripts/vm-persist.sh, in QEMU's order.
PERSIST_FS="ext4 xfs btrfs"
persist_dev() {
	case $1 in ext4) echo /dev/vda ;; xfs) echo /dev/vdb ;; btrfs) echo /dev/vdc ;; esac
}

# Load the virtio drivers (modules on 5.10 and 6.1) and wait for the disks.
persist_disks() {
	modprobe -q -a virtio_pci virtio_blk 2>/dev/null
	_i=0
	while [ ! -b /dev/vdc ] && [ $_i -lt 50 ]; do usleep 100000; _i=$((_i + 1)); done
	[ -b /dev/vdc ]
}

# For the bench cases: bench_emit sends "# bench ..." figures to the host
# (result port) and echoes them; bench_fail ends the case, since a benchmark
# cannot go on without its setup.
bench_emit() { echo "# bench $*" >> /dev/ttyS1; echo "bench $*"; }
bench_fail() { not_ok "$1" "$2"; exit 1; }
drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# bench_disks DEV...: the disks scripts/bench.sh attaches, with the virtio,
# ext4 and xfs drivers loaded (modules on 5.10 and 6.1); waits up to 10 s.
bench_disks() {
	modprobe -q -a virtio_pci virtio_blk 2>/dev/null
	modprobe -q -a ext4 xfs
	for _d in "$@"; do
		_i=0
		while [ ! -b "$_d" ] && [ $_i -lt 100 ]; do usleep 100000; _i=$((_i + 1)); done
		[ -b "$_d" ] || return 1
	done
}

# persist_mount FS: the disk at /mnt/lower-FS, verityfs over it at /mnt/p-FS.
persist_mount() {
	modprobe -q "$1"
	mkdir -p "/mnt/lower-$1" "/mnt/p-$1"
	mount -t "$1" "$(persist_dev "$1")" "/mnt/lower-$1" &&
		mount -t verityfs "/mnt/lower-$1" "/mnt/p-$1"
}

# persist_report KIND FS NAME: "# persist KIND FS NAME DIGEST SHA256" on the
# result port, DIGEST being the measured one or "plain"; the host compares.
# SHA256 is of the content, for the 16 GiB "big" of its first and last MiB
# (the rest is a hole) and its size. Sets REPORT_SHA.
persist_report() {
	_f=/mnt/p-$2/$3
	if _d=$(fsverity measure "$_f" 2>&1); then
		_d=${_d%% *}
	elif echo "$_d" | grep -q 'No data available'; then
		_d=plain
	else
		_d=error:$(echo "$_d" | tail -n 1 | tr ' ' _)
	fi
	if [ "$3" = big ]; then
		REPORT_SHA=$( { head -c 1048576 "$_f"; dd if="$_f" bs=1M skip=16383 2>/dev/null
			stat -c %s "$_f"; } | sha256sum | cut -d' ' -f1)
	else
		REPORT_SHA=$(sha256sum < "$_f" | cut -d' ' -f1)
	fi
	echo "# persist $1 $2 $3 $_d ${REPORT_SHA:-unreadable}" >> /dev/ttyS1
}

# For the store-* cases (the store at the root of the lower filesystem):
#   vx_errno CMD...            "ok", or the errno name of CMD's message
#   record_hex LOWERFILE       the trusted.verityfs xattr of a lower file, in hex
#   object_id LOWERFILE        the object id of its record, 16 lowercase hex digits
#   le_u32 / le_u64 FILE OFF   a little-endian field of FILE at byte OFF
#   flip_byte FILE OFF         invert every bit of one byte in place (twice: undone)
vx_errno() {
	if _out=$("$@" 2>&1); then
		echo ok
		return 0
	fi
	case $_out in
	*"Operation not permitted"*) echo EPERM ;;
	*"Permission denied"*) echo EACCES ;;
	*"Not a directory"*) echo ENOTDIR ;;
	*"Invalid argument"*) echo EINVAL ;;
	*"Disk quota exceeded"*) echo EDQUOT ;;
	*"No such file or directory"*) echo ENOENT ;;
	*"Input/output error"*|*"I/O error"*) echo EIO ;;
	*"No data available"*) echo ENODATA ;;
	*"File exists"*) echo EEXIST ;;
	*"No space left on device"*) echo ENOSPC ;;
	*"Is a directory"*) echo EISDIR ;;
	*"Too many levels of symbolic links"*) echo ELOOP ;;
	*"Structure needs cleaning"*) echo EUCLEAN ;;
	*"Bad message"*) echo EBADMSG ;;
	*"Key was rejected"*) echo EKEYREJECTED ;;
	*"Required key not available"*) echo ENOKEY ;;
	*) echo "E?($(echo "$_out" | tail -n 1))" ;;
	esac
	return 1
}
record_hex() {
	getfattr --absolute-names -n trusted.verityfs -e hex "$1" 2>/dev/null |
		sed -n 's/^trusted.verityfs=0x//p'
}
object_id() {
	record_hex "$1" | cut -c17-32 |
		sed -n 's/^\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)\(..\)$/\8\7\6\5\4\3\2\1/p'
}
le_u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
le_u64() { od -An -tu8 -j "$2" -N8 "$1" | tr -d ' '; }
flip_byte() {
	_fb=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the byte, as an octal escape
	printf "\\$(printf %03o $((_fb ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
#   kmsg_mark / kmsg_since     log_mark/log_since by a line written to the kernel
#                              log: they still work once the log buffer is full
#                              (its line count then stands still)
#   verityfs_log_quiet         wait until verityfs's message rate limit (10 in
#                              5 s, all messages together) lets the next one out
kmsg_mark() {
	_vx_kmark="vx-mark-$$-$(cut -d' ' -f1 /proc/uptime)"
	echo "$_vx_kmark" > /dev/kmsg
}
# kmsg_since [MARK]: since the last kmsg_mark, or since MARK (an earlier
# $_vx_kmark).
kmsg_since() {
	_m=${1:-$_vx_kmark}
	if dmesg | grep -q "$_m\$"; then
		dmesg | sed -n "/$_m\$/,\$p" | sed 1d
	else
		echo "kmsg_since: the mark $_m is no longer in the kernel log"
	fi
}
verityfs_log_quiet() {
	_last=$(dmesg | grep 'verityfs' | tail -n 1 | sed -n 's/^\[ *\([0-9]*\)\..*/\1/p')
	_now=$(cut -d. -f1 /proc/uptime)
	[ -z "$_last" ] || [ $((_now - _last)) -ge 6 ] || sleep $((6 - (_now - _last)))
}
