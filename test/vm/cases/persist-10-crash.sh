# SPDX-License-Identifier: GPL-2.0-only
# Boot 1 of scripts/vm-persist.sh, which gives the guest three fresh virtio
# disks kept on the host: make ext4, xfs and btrfs on them, enable verity on
# two files each (never synced: a returned enable must be durable by itself),
# report their digests, start enabling a 16 GiB file on each and reset the
# machine in the middle of those enables (sysrq b: no sync, no unmount, as a
# power cut). Boot 2 (persist-20-after) and the host judge what survived.
# Copyright (C) 2026 The verityfs authors

persist_disks || { not_ok "the virtio disks appear" "no /dev/vdc"; return 0; }
load_module
for fs in $PERSIST_FS; do
	dev=$(persist_dev "$fs")
	case $fs in
	ext4) mkfs.ext4 -q -F -b 4096 "$dev" ;;
	xfs) mkfs.xfs -q -f "$dev" ;;
	btrfs) mkfs.btrfs -q -f "$dev" ;;
	esac > /dev/null || { not_ok "$fs: mkfs on $dev"; continue; }
	persist_mount "$fs" || { not_ok "$fs: mount $dev and verityfs over it"; continue; }
	# The file the crash interrupts: 1 MiB of data, a hole, 1 MiB of data,
	# 16 GiB in all. Hashing it would take ten minutes: the reset comes
	# long before the enable could finish, on any host.
	head -c 1048576 "$DATA/rand1m" > "/mnt/p-$fs/big"
	dd if="$DATA/rand1m" of="/mnt/p-$fs/big" bs=1M seek=16383 2>/dev/null
done
# The big files' bytes are on disk; from here on nothing is synced.
sync
for fs in $PERSIST_FS; do
	m=/mnt/p-$fs
	[ -f "$m/big" ] || continue
	cp "$DATA/rand1m" "$m/a"
	head -c 4097 "$DATA/rand1m" > "$m/b"
	check "$fs: enable a (SHA-256)" fsverity enable "$m/a"
	check "$fs: enable b (SHA-512, salted)" fsverity enable --hash-alg=sha512 --salt=0123 "$m/b"
	for n in a b; do
		persist_report record "$fs" "$n"
	done
done

pids=
for fs in $PERSIST_FS; do
	[ -f "/mnt/p-$fs/big" ] || continue
	fsverity enable "/mnt/p-$fs/big" > /dev/null 2>&1 &
	pids="$pids $!"
done
sleep 3
alive=0
for p in $pids; do
	[ -d /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status && alive=$((alive + 1))
done
objects=
for fs in $PERSIST_FS; do
	objects="$objects $fs:$(store_objects "/mnt/lower-$fs")"
done
check_eq "3 s later all three big enables still run" 3 "$alive"
check_eq "their objects are in the stores (a, b and big on each)" " ext4:3 xfs:3 btrfs:3" "$objects"
echo "# persist crash: $alive enables running, objects$objects, resetting now" >> /dev/ttyS1
# Let the serial port drain the lines above before the reset.
sleep 1
echo b > /proc/sysrq-trigger
sleep 10
not_ok "sysrq b reset the machine"
