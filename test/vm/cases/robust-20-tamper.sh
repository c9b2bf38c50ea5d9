# SPDX-License-Identifier: GPL-2.0-only
# Tampering behind the mount: the metadata in the lower's .verityfs/ store
# damaged, truncated or removed, the trusted.verityfs record damaged or
# removed, the data resized or changed. A damaged tree reads as EIO with one
# log line per failed page; a damaged, short or missing object, header or
# descriptor makes the open fail with EINVAL and a log line naming the cause;
# the data resized gives EINVAL at open, never other bytes than the verified
# ones. Removing the record (the commit point) makes a plain file: its bytes
# are then unverified, but nothing claims them to be verity.
# Copyright (C) 2026 The verityfs authors
#
# Object layout (include/verityfs/format.h) of an unsigned 1 MiB SHA-256 file
# with 4 KiB blocks: header 0-63, descriptor 64-319 (version at 64, root hash
# at 80), tree at 4096: its top block (level 1), then two level-0 blocks.

load_module
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-tamper
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

# make_verity NAME: a verity copy of rand1m; sets OBJ to its object's path.
make_verity() {
	_before=$(ls "$lower/.verityfs" 2>/dev/null)
	cp "$DATA/rand1m" "$mnt/$1"
	fsverity enable "$mnt/$1" || { not_ok "enable $1"; return 1; }
	# shellcheck disable=SC2045 # object names are hex ids; an empty store gives no loop
	for _o in $(ls "$lower/.verityfs"); do
		case " $(echo $_before) " in *" $_o "*) ;; *) OBJ=$lower/.verityfs/$_o ;; esac
	done
}

# flip FILE OFFSET: invert one byte in place.
flip() {
	_v=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
	xfs_io -c "pwrite -q -S $((_v ^ 255)) $2 1" "$1"
}

# record_set FILE OFFSET HEXBYTE: change one byte of FILE's trusted.verityfs.
record_set() {
	_r=$(getfattr --absolute-names -e hex -n trusted.verityfs "$1" | sed -n 's/^trusted.verityfs=0x//p')
	_r=$(echo "$_r" | cut -c1-$(($2 * 2)))$3$(echo "$_r" | cut -c$(($2 * 2 + 3))-)
	setfattr -n trusted.verityfs -v "0x$_r" "$1"
}

# pfx NAME: how a log line about $mnt/NAME starts, as fs-verity's do:
# "verityfs (<the mount's major:minor>, inode <NAME's inode>): ".
pfx() { echo "verityfs ($dev, inode $(stat -c %i "$mnt/$1")): "; }

# expect_log DESC PATTERN [COUNT]: the log lines since log_mark matching PATTERN.
expect_log() {
	check_eq "$1" "${3:-1}" "$(log_since | grep -c "$2")"
}
# A read logs once per failed fill of the page, and the page cache fills a
# page whose readahead failed once more through read_folio (as for native
# ext4): one read gives one or two lines, never none.
expect_read_log() {
	_n=$(log_since | grep -c "$2")
	if [ "$_n" -ge 1 ] && [ "$_n" -le 2 ]; then ok "$1"; else not_ok "$1" "want 1 or 2 lines, got $_n"; fi
}

for n in tree0 tree1 header hreserved droot dversion ttree tdesc gone record rreserved rtail norecord \
	grow shrink; do
	make_verity $n || continue
	eval "obj_$n=\$OBJ"
done
umount "$mnt"

flip "$obj_tree0" $((8192 + 100))
flip "$obj_tree1" $((4096 + 50))
flip "$obj_header" 0
flip "$obj_droot" 80
flip "$obj_dversion" 64
truncate -s 8192 "$obj_ttree"
truncate -s 100 "$obj_tdesc"
rm "$obj_gone"
setfattr -n trusted.verityfs -v 0x00 "$lower/record"
setfattr -x trusted.verityfs "$lower/norecord"
# Reserved bytes must be zero, as fs-verity's descriptor's: the header's
# (40-63) and the record's (5-7). The record's last byte is the last of the
# SHA-256 of the object's head (24-55).
flip "$obj_hreserved" 50
record_set "$lower/rreserved" 7 01
_b=$(getfattr --absolute-names -e hex -n trusted.verityfs "$lower/rtail" | sed -n 's/^trusted.verityfs=0x//p' | cut -c111-112)
record_set "$lower/rtail" 55 "$(printf %02x $((0x$_b ^ 255)))"
truncate -s 1048577 "$lower/grow"
truncate -s 1048575 "$lower/shrink"
echo 3 > /proc/sys/vm/drop_caches
mount -t verityfs "$lower" "$mnt"
dev=$(awk -v m="$mnt" '$5 == m { print $3 }' /proc/self/mountinfo)

f=$mnt/tree0
log_mark
check_eq "a flipped level-0 tree byte: the open succeeds" ok "$(vx-sys open "$f")"
check_eq "... a read of the block under it is EIO" EIO "$(vx-sys pread1 "$f" 0)"
expect_read_log "... with a log line naming mount, inode and level 0" "$(pfx tree0)FILE CORRUPTED! pos=0, level=0,"
check_eq "... and a block under the other level-0 block reads" ok \
	"$(vx-sys pread1 "$f" $((200 * 4096)))"
f=$mnt/tree1
log_mark
check_eq "a flipped top tree block: a read is EIO" EIO "$(vx-sys pread1 "$f" 8192)"
expect_read_log "... with a log line naming mount, inode and level 1" "$(pfx tree1)FILE CORRUPTED! pos=8192, level=1,"
check_fails "... and cat fails with EIO" "Input/output error" sh -c "cat '$f' > /dev/null"
# Readahead logs a line for every failed page: let the rate limit recover.
sleep 5

# open_fails NAME ERRNO LOGTEXT WHAT
open_fails() {
	log_mark
	check_eq "$4: open is $2" "$2" "$(vx-sys open "$mnt/$1")"
	expect_log "... with one log line: $3" "$(pfx "$1").*$3"
}
open_fails header EINVAL "damaged verity metadata header" "a damaged object header"
open_fails droot EINVAL "does not match its record" "a flipped root hash in the descriptor"
open_fails dversion EINVAL "does not match its record" "a bad descriptor version"
# A burst of ten messages per 5 s is the log's rate limit.
sleep 5
open_fails ttree EINVAL "is truncated" "an object cut inside the tree"
open_fails tdesc EINVAL "is truncated" "an object cut inside the descriptor"
open_fails gone EINVAL "is missing" "a removed object"
open_fails record EINVAL "damaged verity record" "a damaged trusted.verityfs record"
check_fails "... and measure fails too" "Invalid argument" fsverity measure "$mnt/record"
open_fails grow EINVAL "resized" "data grown by a byte"
open_fails shrink EINVAL "resized" "data shrunk by a byte"
sleep 5
open_fails hreserved EINVAL "damaged verity metadata header" "a reserved header byte set"
open_fails rreserved EINVAL "damaged verity record" "a reserved record byte set"
open_fails rtail EINVAL "does not match its record" "the record's last digest byte changed"

# The record is the commit point: without it the file is plain again, its
# object an orphan that only costs space (docs/robustness.md).
f=$mnt/norecord
check_fails "a removed record: the file is plain" "No data available" fsverity measure "$f"
check_eq "... reads its bytes" "$(sha256sum < "$DATA/rand1m")" "$(sha256sum < "$f")"
check "... can be written" sh -c "echo x >> '$f'"
check "... and enabled again" fsverity enable "$f"
# shellcheck disable=SC2010 # object names are hex ids
check_eq "... (the old object stays as garbage)" 1 "$(ls "$lower/.verityfs" | grep -c "${obj_norecord##*/}")"

# Behind a live mount whose inode keeps its verity state.
make_verity live
make_verity grown
make_verity shrunk
for n in live grown shrunk; do
	cat "$mnt/$n" > /dev/null
done
exec 5< "$mnt/grown" 6< "$mnt/shrunk"
printf 'X' | dd of="$lower/live" bs=1 seek=5000 conv=notrunc 2>/dev/null
truncate -s 2097152 "$lower/grown"
truncate -s 4096 "$lower/shrunk"
echo 3 > /proc/sys/vm/drop_caches
log_mark
check_eq "data changed behind a live mount: the changed block reads as EIO" EIO \
	"$(vx-sys pread1 "$mnt/live" 4096)"
expect_read_log "... with a log line for the data block" "$(pfx live)FILE CORRUPTED! pos=4096, level=-1,"
check_eq "... the others read" ok "$(vx-sys pread1 "$mnt/live" 0)"
check_eq "data grown behind a live mount: open is EINVAL" EINVAL "$(vx-sys open "$mnt/grown")"
check_eq "data shrunk behind a live mount: open is EINVAL" EINVAL "$(vx-sys open "$mnt/shrunk")"
expect_log "... each with a log line" "verityfs ($dev, inode [0-9]*): data resized" 2
# Already open: only verified bytes, never the lower's new size.
check_eq "an fd opened before the lower grew reads the verified 1 MiB only" \
	"$(sha256sum < "$DATA/rand1m")" "$(sha256sum <&5)"
check_fails "an fd opened before the lower shrank reads EIO" "Input/output error" \
	sh -c "cat <&6 > /dev/null"
exec 5<&- 6<&-
umount "$mnt"
umount "$lower"
check "rmmod verityfs" unload_module
