# SPDX-License-Identifier: GPL-2.0-only
# M1: two verityfs mounts of one lower; an enable on one reaches the other.
# Copyright (C) 2026 The verityfs authors
#
# Mount B (and C, with -o require_signatures) met the files while they were
# plain and keeps them open. After an enable through mount A, B must treat
# them as verity files at its next operation: no write opens (EPERM), no
# truncate (EPERM), the digest from MEASURE, EIO for data changed on the
# lower, and C's policy refuses the unsigned file. While an enable through A
# runs, writers through B are shut out (ETXTBSY) as on native ext4, truncate
# included. The WARN that B's readahead could hit is trust-90's.

load_module
want=$(grep '^1048576 sha256 ' "$DATA/digests.txt" | cut -d' ' -f3)
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
A=/mnt/vx-ma B=/mnt/vx-mb C=/mnt/vx-mc
mkdir -p $A $B $C
mount -t verityfs "$lower" $A && mount -t verityfs "$lower" $B &&
	mount -t verityfs -o require_signatures "$lower" $C || { not_ok "mount verityfs three times"; return 0; }

for n in w r s; do cp "$DATA/rand1m" "$A/$n"; done
# B and C look the files up and keep them, while they are plain.
exec 5< $B/w 6< $B/r 7< $C/s
for n in w r s; do
	fsverity enable "$A/$n" > /dev/null || not_ok "enable $n through A"
done

check_eq "B: open for write of a file enabled through A is EPERM" EPERM "$(vx-trust openw $B/w)"
check_eq "B: truncate to its own size is EPERM" EPERM "$(vx-trust truncate $B/w 1048576)"
check_eq "B: measure gives the digest" "$want" "$(fsverity measure $B/w 2>&1 | cut -d' ' -f1)"
check_eq "B: measure on an fd opened before the enable" "$want" "$(vx-trust measure-fd 5)"
check "B: lsattr shows V" sh -c "lsattr $B/w | cut -d' ' -f1 | grep -q V"
check "B: statx reports STATX_ATTR_VERITY" \
	sh -c "xfs_io -r -c 'statx -r' $B/w | grep -q 'stat.attributes = 0x100000'"
check_eq "A (control): the file's data is still the enabled data" \
	"$(sha256sum < "$DATA/rand1m")" "$(sha256sum < $A/w)"

# Data changed on the lower.
printf 'X' | dd of="$lower/r" bs=1 seek=5000 conv=notrunc 2>/dev/null
sync
echo 3 > /proc/sys/vm/drop_caches
check_eq "A (control): the changed block reads as EIO" EIO "$(vx-sys pread1 $A/r 4096)"
check_eq "B: the changed block reads as EIO" EIO "$(vx-sys pread1 $B/r 4096)"
check_eq "B: ... also through the fd opened before the enable" EIO "$(vx-trust pread-fd 6 4096 4096)"
check_eq "B: an unchanged block reads" ok "$(vx-trust pread-fd 6 0 4096 "$DATA/rand1m")"

# Mount C requires signatures: the unsigned file enabled through A is refused.
check_eq "C (require_signatures): open of the unsigned file is EPERM" EPERM "$(vx-sys open $C/s)"
check_fails "C: cat of it is EPERM" "not permitted" cat $C/s
r=$(vx-trust pread-fd 7 0 4096)
case $r in
EPERM|EIO) ok "C: the fd opened before the enable serves no data ($r)" ;;
*) not_ok "C: the fd opened before the enable serves no data" "pread: $r" ;;
esac
exec 5<&- 6<&- 7<&-

# The writer lockout of an enable through A holds for B, truncate included.
native=$(mk_lower ext4 -O verity) || not_ok "make a native ext4"
truncate -s 64M "$native/big" $A/big
want_race=$(vx-trust enable-vs-truncate "$native/big" "$native/big")
check_eq "native ext4 (oracle): writers wait for the enable" \
	"truncate=ETXTBSY openw=ETXTBSY enable=ok" "$want_race"
check_eq "B: truncate and open for write while A enables: as native ext4" \
	"$want_race" "$(vx-trust enable-vs-truncate $A/big $B/big)"
check_eq "... and the file opens afterwards" ok "$(vx-sys open $A/big)"
check_eq "... and has its 64 MiB" 67108864 "$(stat -c %s "$lower/big")"

umount $C
umount $B
umount $A
umount "$lower"
umount "$native"
check "rmmod verityfs" unload_module
