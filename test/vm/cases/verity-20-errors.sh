# SPDX-License-Identifier: GPL-2.0-only
# Upstream's errnos and behaviours that need more than one file: block sizes,
# writers during enable, mmap of corrupted data, O_DIRECT, splice, and the
# metadata freed with the file. The oracle is the stock fsverity tool.
# Copyright (C) 2026 The verityfs authors

modprobe -q sha512_generic 2>/dev/null
load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-errors
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

for bs in 1024 4096; do
	for alg in sha256 sha512; do
		f=$mnt/bs$bs.$alg
		head -c 200000 "$DATA/rand1m" > "$f"
		want=$(fsverity digest --hash-alg=$alg --block-size=$bs --salt=abcd "$f" | cut -d' ' -f1)
		check "enable $alg block size $bs salted" \
			fsverity enable --hash-alg=$alg --block-size=$bs --salt=abcd "$f"
		check_eq "measure $alg block size $bs salted equals fsverity digest" \
			"$want" "$(fsverity measure "$f" | cut -d' ' -f1)"
	done
done

f=$mnt/limits
head -c 8192 "$DATA/rand1m" > "$f"
check_fails "block size 8192 (over a page) is EINVAL" "Invalid argument" \
	fsverity enable --block-size=8192 "$f"
check_fails "block size 1 is EINVAL" "Invalid argument" fsverity enable --block-size=1 "$f"
check_fails "hash algorithm 257 is EINVAL" "Invalid argument" fsverity enable --hash-alg=257 "$f"
check_fails "a 33-byte salt is EMSGSIZE" "too long" \
	fsverity enable --salt=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 "$f"
check_fails "a directory is EISDIR" "Is a directory" fsverity enable "$mnt"
exec 7<> "$f"
check_fails "a writer open elsewhere is ETXTBSY" "Text file busy" fsverity enable "$f"
exec 7>&-
check "and without the writer it enables" fsverity enable "$f"

# mmap of tampered data: SIGBUS, as upstream (exit status 128 + 7).
umount "$mnt"
printf 'X' | dd of="$lower/limits" bs=1 seek=100 conv=notrunc 2>/dev/null
mount -t verityfs "$lower" "$mnt"
echo 3 > /proc/sys/vm/drop_caches
xfs_io -r -c 'mmap -r 0 8192' -c 'mread 0 8192' "$mnt/limits" > /dev/null 2>&1
check_eq "mmap read of a tampered block is SIGBUS" 135 "$?"
check_fails "O_DIRECT read of a tampered block is EIO" "Input/output error" \
	dd if="$mnt/limits" of=/dev/null bs=4096 count=1 iflag=direct

f=$mnt/bs4096.sha256
check "an O_DIRECT open reads the verified data" \
	sh -c "dd if='$f' bs=4096 iflag=direct 2>/dev/null | cmp - '$lower/bs4096.sha256'"
check "sendfile/splice out of a verity file gives the data" \
	sh -c "xfs_io -r -c 'sendfile -i $f 0 200000' /tmp/splice.out > /dev/null 2>&1 || \
	       { : > /tmp/splice.out; xfs_io -c 'sendfile -i $f 0 200000' /tmp/splice.out > /dev/null; }; \
	       cmp /tmp/splice.out '$lower/bs4096.sha256'"
# The metadata goes with the last name, not before.
objects() { ls "$lower/.verityfs" | wc -l; }
f=$mnt/bs1024.sha256
before=$(objects)
ln "$f" "$mnt/second-name"
rm "$f"
check_eq "unlinking one of two names keeps the metadata" "$before" "$(objects)"
exec 7< "$mnt/second-name"
rm "$mnt/second-name"
check_eq "unlinking the last name frees the metadata" $((before - 1)) "$(objects)"
check "a file still open reads on after its last unlink" \
	sh -c "head -c 4096 <&7 | wc -c | grep -qx 4096"
exec 7<&-
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module
