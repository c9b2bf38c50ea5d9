# SPDX-License-Identifier: GPL-2.0-only
# H1: fds opened before FS_IOC_ENABLE_VERITY read verified data afterwards.
# Copyright (C) 2026 The verityfs authors
#
# Upstream has one page cache per inode, and every read after an enable is
# verified, whichever fd it comes through. Here the fd that ran the enable
# and another fd opened before it must read like a new open: data changed
# on the lower gives EIO through read, pread, splice and sendfile, and
# SIGBUS through a mapping made after the enable; unchanged data reads.

load_module
want=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
mnt=/mnt/vx-oldfd
mkdir -p "$mnt"
for fs in ext4 tmpfs; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; continue; }
	cp "$DATA/rand1m" "$mnt/f"
	exec 5< "$mnt/f" 6< "$mnt/f"
	check_eq "$fs: enable through an fd opened before" ok "$(vx-trust enable-fd 5)"
	check_eq "$fs: measure on that fd" "$want" "$(vx-trust measure-fd 5)"

	# Block 1 (bytes 4096-8191) changes on the lower; the others do not.
	printf 'X' | dd of="$lower/f" bs=1 seek=5000 conv=notrunc 2>/dev/null
	sync
	echo 3 > /proc/sys/vm/drop_caches
	check_eq "$fs: a new open reads the changed block as EIO" EIO \
		"$(vx-sys pread1 "$mnt/f" 4096)"
	for fd in 5 6; do
		if [ $fd = 5 ]; then who="the fd that ran the enable"; else who="another fd opened before it"; fi
		check_eq "$fs: $who: pread of the changed block is EIO" EIO \
			"$(vx-trust pread-fd $fd 4096 4096)"
		check_eq "$fs: $who: read of the changed block is EIO" EIO \
			"$(vx-trust read-fd $fd 4096 4096)"
		check_eq "$fs: $who: splice of the changed block is EIO" EIO \
			"$(vx-trust splice-fd $fd 4096 4096)"
		check_eq "$fs: $who: sendfile of the changed block is EIO" EIO \
			"$(vx-trust sendfile-fd $fd 4096 4096)"
		check_eq "$fs: $who: a mapping of the changed block gets SIGBUS" SIGBUS \
			"$(vx-trust mmap-fd $fd 4096 4096)"
		check_eq "$fs: $who: an unchanged block reads" ok \
			"$(vx-trust pread-fd $fd 0 4096 "$DATA/rand1m")"
		check_eq "$fs: $who: unchanged blocks map" ok \
			"$(vx-trust mmap-fd $fd 8192 65536 "$DATA/rand1m")"
	done
	exec 5<&- 6<&-
	umount "$mnt"
	umount "$lower"
done
check "rmmod verityfs" unload_module
