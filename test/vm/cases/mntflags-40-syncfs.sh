# SPDX-License-Identifier: GPL-2.0-only
# Mount flags: syncfs(2) on a verityfs mount flushes the lower's dirty data.
# Copyright (C) 2026 The verityfs authors
#
# 16 MiB written through the mount without fsync, then syncfs(2) (and
# `sync -f`) on the mount: the lower's dirty pages must be written, as
# syncfs on a bind mount of the lower does. Periodic writeback is off during
# the case, so only the syncfs can flush; Dirty in /proc/meminfo tells.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mkdir -p "$lower/x" /mnt/vx-bind /mnt/vx-sync
wb=$(cat /proc/sys/vm/dirty_writeback_centisecs)
bgr=$(cat /proc/sys/vm/dirty_background_ratio)
echo 0 > /proc/sys/vm/dirty_writeback_centisecs
echo 536870912 > /proc/sys/vm/dirty_background_bytes
sync

dirty_kb() { awk '/^Dirty:/ { print $2 }' /proc/meminfo; }

# flush_probe DIR NAME HOW: write 16 MiB to DIR/NAME, flush DIR by HOW.
flush_probe() {
	dd if=/dev/zero of="$1/$2" bs=1M count=16 2>/dev/null
	_d1=$(dirty_kb)
	case $3 in
	syncfs) vx-trust syncfs "$1" > /dev/null ;;
	sync-f) sync -f "$1" ;;
	esac
	_d2=$(dirty_kb)
	diag "$1 $3: Dirty $_d1 kB before, $_d2 kB after" >&2
	if [ "$_d1" -lt 12000 ]; then
		echo "not dirty before ($_d1 kB)"
	elif [ "$_d2" -lt 4096 ]; then
		echo flushed
	else
		echo "not flushed"
	fi
}

for how in syncfs sync-f; do
	mount --bind "$lower/x" /mnt/vx-bind || not_ok "bind mount"
	want=$(flush_probe /mnt/vx-bind "b-$how" $how)
	umount /mnt/vx-bind
	check_eq "$how on a bind mount of the lower (control)" flushed "$want"
	mount -t verityfs "$lower/x" /mnt/vx-sync || not_ok "verityfs mount"
	check_eq "$how on the verityfs mount flushes as on the bind" "$want" \
		"$(flush_probe /mnt/vx-sync "v-$how" $how)"
	umount /mnt/vx-sync
	sync
done
echo "$wb" > /proc/sys/vm/dirty_writeback_centisecs
echo "$bgr" > /proc/sys/vm/dirty_background_ratio	# also sets the bytes back to 0
umount "$lower"
check "rmmod verityfs" unload_module
