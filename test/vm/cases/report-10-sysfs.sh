# SPDX-License-Identifier: GPL-2.0-only
# Reporting: the per-mount counters in /sys/fs/verityfs/<major>:<minor>/
# against what the case did (opens, cold reads of K Merkle blocks, one
# corrupted block), the mount's last_corruption record (inode, position,
# time) and its log line, the errors= option in /proc/mounts and across
# remounts, and the directory's lifetime (one per mount, gone at umount,
# safe for a reader that holds an attribute open).
# Copyright (C) 2026 The verityfs authors

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-report
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

# The directory is named like the mount's device in mountinfo.
devof() { awk -v m="$1" '$5 == m { print $3 }' /proc/self/mountinfo | tail -n1; }
dev=$(devof "$mnt")
S=/sys/fs/verityfs/$dev
check "sysfs directory $S exists for the mount" test -d "$S"
check_eq "lower names the lower directory" "$lower" "$(cat "$S/lower")"
check_eq "errors is eio by default" eio "$(cat "$S/errors")"
check "/proc/mounts shows errors=eio" grep -q "^$lower $mnt verityfs .*errors=eio" /proc/mounts
for c in files_opened blocks_verified corruptions sig_failures; do
	check_eq "$c starts at 0" 0 "$(cat "$S/$c")"
done
last() { echo "$(cat "$S/last_corruption/inode") $(cat "$S/last_corruption/pos") $(cat "$S/last_corruption/time")"; }
check_eq "last_corruption is 0 0 0 (inode pos time) before any corruption" "0 0 0" "$(last)"
check "the global hash_cache counters stay" test -r /sys/fs/verityfs/hash_cache/verified_blocks

# Opens: three verity files, each opened once by cat.
for i in 1 2 3; do
	head -c 65536 "$DATA/rand1m" > "$mnt/f$i"
	fsverity enable "$mnt/f$i" || not_ok "enable f$i"
done
before=$(cat "$S/files_opened")
cat "$mnt/f1" "$mnt/f2" "$mnt/f3" > /dev/null
check_eq "three opens of verity files count three" $((before + 3)) "$(cat "$S/files_opened")"
before=$(cat "$S/files_opened")
cat "$DATA/rand1m" > "$mnt/plain"
cat "$mnt/plain" > /dev/null
check_eq "opening a plain file does not count" "$before" "$(cat "$S/files_opened")"

# A cold read of a 1 MiB file of 4096-byte blocks verifies at least its 256 blocks.
cp "$DATA/rand1m" "$mnt/big"
fsverity enable --block-size=4096 "$mnt/big"
echo 3 > /proc/sys/vm/drop_caches
before=$(cat "$S/blocks_verified")
cat "$mnt/big" > /dev/null
got=$(( $(cat "$S/blocks_verified") - before ))
diag "a cold read of 256 blocks verified $got"
check "a cold read of 256 Merkle blocks counts at least 256 verified" test "$got" -ge 256
check_eq "and no corruption" 0 "$(cat "$S/corruptions")"

# errors= on remount: changed when named, kept when not, refused when unknown.
check "remount -o errors=panic" mount -o remount,errors=panic "$mnt"
check "/proc/mounts shows errors=panic" grep -q " $mnt verityfs .*errors=panic" /proc/mounts
check_eq "sysfs errors says panic" panic "$(cat "$S/errors")"
mount -o remount,ro "$mnt"
check "a remount that does not name errors= keeps panic" grep -q " $mnt verityfs ro.*errors=panic" /proc/mounts
check "remount -o rw,errors=eio" mount -o remount,rw,errors=eio "$mnt"
check_eq "sysfs errors says eio again" eio "$(cat "$S/errors")"
check_fails "errors=remount-ro is refused" "Invalid argument" mount -o remount,errors=remount-ro "$mnt"
check "a refused remount keeps errors=eio" grep -q " $mnt verityfs .*errors=eio" /proc/mounts

# One corrupted block (the second of f1), changed on the lower behind the mount.
umount "$mnt"
check "the directory goes with the umount" test ! -e "$S"
printf 'X' | dd of="$lower/f1" bs=1 seek=4196 conv=notrunc 2>/dev/null
mount -t verityfs -o errors=eio "$lower" "$mnt"
dev=$(devof "$mnt")
S=/sys/fs/verityfs/$dev
dmesg -c > /dev/null
t0=$(date +%s)
check_fails "reading the corrupted block is EIO" "Input/output error" \
	dd if="$mnt/f1" of=/dev/null bs=4096 skip=1 count=1
t1=$(date +%s)
n=$(cat "$S/corruptions")
diag "one failed read of one corrupted block counted $n"
# The VFS retries a page that readahead left !uptodate once through read_folio.
check "the corruption is counted (once per verification attempt, at most 2)" \
	test "$n" -ge 1 -a "$n" -le 2
ino1=$(stat -c %i "$mnt/f1")
check "the log names the mount's device, the inode and the position, as fs-verity does" \
	sh -c "dmesg | grep -q '^\(\[[ .0-9]*\] \)\{0,1\}verityfs ($dev, inode $ino1): FILE CORRUPTED! pos=4096, level=-1, '"
read -r li lp lt <<EOF_LAST
$(last)
EOF_LAST
check_eq "last_corruption/inode is the file's inode" "$ino1" "$li"
check_eq "last_corruption/pos is the failed block's offset" 4096 "$lp"
check "last_corruption/time is the time of the read ($t0 <= $lt <= $t1)" test "$lt" -ge "$t0" -a "$lt" -le "$t1"
check "the other blocks stay readable" dd if="$mnt/f1" of=/dev/null bs=4096 skip=2 count=14
check_eq "and count no corruption" "$n" "$(cat "$S/corruptions")"
check_eq "nor change last_corruption" "$ino1 4096 $lt" "$(last)"
# A later corruption, in another file and block, replaces the record.
printf 'X' | dd of="$lower/f2" bs=1 seek=12300 conv=notrunc 2>/dev/null
echo 3 > /proc/sys/vm/drop_caches
sleep 1
check_fails "a corrupted block of f2 is EIO" "Input/output error" \
	dd if="$mnt/f2" of=/dev/null bs=4096 skip=3 count=1
ino2=$(stat -c %i "$mnt/f2")
check_eq "last_corruption now names f2 and pos 12288" "$ino2 12288" \
	"$(cat "$S/last_corruption/inode") $(cat "$S/last_corruption/pos")"
check "and a time no earlier than the first" test "$(cat "$S/last_corruption/time")" -ge "$lt"

# Two mounts, two directories; a reader holding an attribute open across umount.
mnt2=/mnt/vx-report2
mkdir -p "$mnt2"
mount -t verityfs "$lower" "$mnt2"
dev2=$(devof "$mnt2")
check "a second mount has its own directory" test "$dev2" != "$dev" -a -d "/sys/fs/verityfs/$dev2"
exec 8< "/sys/fs/verityfs/$dev2/corruptions"
umount "$mnt2"
check_fails "an attribute held open across umount reads ENODEV, not freed memory" \
	"No such device" sh -c 'cat <&8'
exec 8<&-

# Readers racing mount and umount.
( while :; do cat /sys/fs/verityfs/*/files_opened /sys/fs/verityfs/*/lower >/dev/null 2>&1; done ) &
reader=$!
i=0
while [ $i -lt 20 ]; do
	mount -t verityfs "$lower" "$mnt2" && umount "$mnt2" || break
	i=$((i + 1))
done
kill "$reader"; wait "$reader" 2>/dev/null
check_eq "20 mount/umount cycles under sysfs readers" 20 "$i"

umount "$mnt"
check "no mount directory is left" sh -c '! ls -d /sys/fs/verityfs/*:* 2>/dev/null'
umount "$lower"
check "rmmod verityfs" unload_module
