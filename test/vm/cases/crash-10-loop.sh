# SPDX-License-Identifier: GPL-2.0-only
# One boot of the crash loop (scripts/vm-crash.sh): check what the previous
# boot's crash left on the virtio disks (ext4, xfs, btrfs), make plain files
# durable, then enable, rename, link and unlink verity files on all three
# disks at once and reset the machine (sysrq b) at a random moment.
# Copyright (C) 2026 The verityfs authors
#
# Kernel command line: vx.crash_iter=I (1: make the filesystems first),
# vx.crash_seed=S, vx.crash_delay=MS (the reset's moment after the start),
# vx.crash_last=1 (check only, then unmount and unload). Without
# vx.crash_iter the case does nothing: it needs the host's disks.

iter=$(knob crash_iter)
[ -n "$iter" ] || { skip "crash loop" "on demand: make check-crash"; return 0; }
seed=$(knob crash_seed); seed=${seed:-1}
delay=$(knob crash_delay); delay=${delay:-1000}
last=$(knob crash_last)
tab=$DATA/stress.tab
to_host() { echo "$*" >> /dev/ttyS1; }

persist_disks || { not_ok "the virtio disks appear" "no /dev/vdc"; return 0; }
load_module
for fs in $PERSIST_FS; do
	dev=$(persist_dev "$fs")
	if [ "$iter" = 1 ]; then
		case $fs in
		ext4) mkfs.ext4 -q -F -b 4096 "$dev" ;;
		xfs) mkfs.xfs -q -f "$dev" ;;
		btrfs) mkfs.btrfs -q -f "$dev" ;;
		esac > /dev/null || { not_ok "$fs: mkfs"; continue; }
	fi
	persist_mount "$fs" || { not_ok "$fs: mount the disk and verityfs over it"; continue; }
	if [ "$iter" != 1 ]; then
		vx-stress check "$tab" "/mnt/p-$fs" "/mnt/lower-$fs" -c > /tmp/check.out 2>&1
		rc=$?
		grep '^FAIL' /tmp/check.out | head -n 10
		to_host "# [$fs] iter $iter $(grep '^# crashcheck' /tmp/check.out | cut -c3-)"
		check_eq "$fs: after crash $((iter - 1)) every file is plain with its bytes or verity with its digest" 0 "$rc"
	fi
done
if [ "$last" = 1 ]; then
	for fs in $PERSIST_FS; do
		check "$fs: umount" umount "/mnt/p-$fs"
		umount "/mnt/lower-$fs"
	done
	check "rmmod" unload_module
	return 0
fi
for fs in $PERSIST_FS; do
	check "$fs: durable plain files for the crash window" \
		vx-stress prep "$tab" "/mnt/p-$fs" 6 "$((seed * 3 + ${#fs}))"
done
for fs in $PERSIST_FS; do
	vx-stress crash "$tab" "/mnt/p-$fs" "$((seed * 7 + ${#fs}))" "$fs" >> /dev/ttyS1 2>&1 &
done
to_host "# crash window: reset after $delay ms"
usleep $((delay * 1000))
echo b > /proc/sysrq-trigger
sleep 10
not_ok "sysrq b reset the machine"
