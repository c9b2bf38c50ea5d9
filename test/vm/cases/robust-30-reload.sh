# SPDX-License-Identifier: GPL-2.0-only
# Verity survives a module reload: files enabled on ext4, xfs and btrfs (ext4
# stacked over itself, as the README mounts it) read as plain bytes with the
# module gone, and after modprobe and a new mount they are verity again with
# the same digests, verified reads and immutability. The module cannot be
# removed while a verityfs mount exists.
# Copyright (C) 2026 The verityfs authors

load_module
want256=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
want512=$(grep '^4097 sha512 ' "$DATA/digests.txt" | cut -d' ' -f3)
lowers=
for fs in ext4 xfs btrfs; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mnt=/mnt/vx-reload-$fs
	[ "$fs" = ext4 ] && mnt=$lower		# over itself
	mkdir -p "$mnt"
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; continue; }
	cp "$DATA/rand1m" "$mnt/a"
	head -c 4097 "$DATA/rand1m" > "$mnt/b"
	check "$fs: enable a" fsverity enable "$mnt/a"
	check "$fs: enable b (SHA-512)" fsverity enable --hash-alg=sha512 "$mnt/b"
	lowers="$lowers $fs:$lower:$mnt"
done
check_fails "rmmod while mounted is refused" "unload" rmmod verityfs
for l in $lowers; do
	mnt=${l##*:}
	umount "$mnt"
done
check "rmmod verityfs with the mounts gone" unload_module
for l in $lowers; do
	fs=${l%%:*} lower=${l#*:}; lower=${lower%%:*}
	check_eq "$fs: without the module the file reads as its plain bytes" \
		"$(sha256sum < "$DATA/rand1m")" "$(sha256sum < "$lower/a")"
done
check "modprobe verityfs again" load_module
for l in $lowers; do
	fs=${l%%:*} mnt=${l##*:} lower=${l#*:}; lower=${lower%%:*}
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs again"; continue; }
	check_eq "$fs: after the reload a measures the same" "$want256" \
		"$(fsverity measure "$mnt/a" | cut -d' ' -f1)"
	check_eq "$fs: after the reload b measures the same" "$want512" \
		"$(fsverity measure "$mnt/b" | cut -d' ' -f1)"
	echo 3 > /proc/sys/vm/drop_caches
	check_eq "$fs: ... and a reads verified" "$(sha256sum < "$DATA/rand1m")" \
		"$(sha256sum < "$mnt/a")"
	check_fails "$fs: ... and is immutable" "not permitted" sh -c "echo x >> '$mnt/a'"
	umount "$mnt"
	umount "$lower"
done
check "rmmod verityfs" unload_module
