# SPDX-License-Identifier: GPL-2.0-only
# The verityfs tool (tools/, verityfs(8)): `verityfs list` and `verityfs
# scrub`, with native ext4 fs-verity in the same guest as the oracle. The
# same files (content, algorithm, block size, salt, signature) are made
# verity on native ext4 and through verityfs: list must print the same lines
# for both (and the digests `fsverity measure` prints); scrub must read both
# clean, then, after the same bytes were changed under both (on the ext4
# image, and on verityfs's lower), report the same corrupt ranges for both
# and exit 1. The tool is the guest's /bin/verityfs, built statically from
# tools/ by mkinitramfs.sh.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1
load_module
native=$(mk_lower ext4 -O verity) || { not_ok "mkfs.ext4 -O verity"; return 0; }
lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mnt=/mnt/vx-tools
mkdir -p "$mnt"
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }

# Native signatures need the signer in the kernel's .fs-verity keyring,
# verityfs's in .verityfs.
keyctl padd asymmetric '' %keyring:.fs-verity < "$S/key1.der" > /dev/null 2>&1
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
head -c 100000 /dev/zero > /tmp/zero100k

# make_files DIR: the same set of files in DIR (native ext4 or verityfs).
make_files() {
	mkdir -p "$1/sub/deeper"
	cp "$DATA/rand1m" "$1/rand1m"
	fsverity enable "$1/rand1m"
	head -c 300000 "$DATA/rand1m" > "$1/sub/salted512"
	fsverity enable --hash-alg=sha512 --salt=abcd "$1/sub/salted512"
	cp /tmp/zero100k "$1/sub/deeper/signed"
	fsverity enable --signature="$S/zero100k.key1.sig" "$1/sub/deeper/signed"
	: > "$1/empty"
	fsverity enable "$1/empty"
	head -c 5000 "$DATA/rand1m" > "$1/plain"	# not verity: not listed
	ln -s rand1m "$1/link"				# a link inside the walk: not followed
	mkfifo "$1/fifo"				# never opened
}
make_files "$native" 2> /tmp/native.err
check_eq "native ext4: the files are made (no error)" "" "$(cat /tmp/native.err)"
make_files "$mnt" 2> /tmp/vx.err
check_eq "verityfs: the files are made (no error)" "" "$(cat /tmp/vx.err)"

# list: the same lines, paths relative to each top.
verityfs list "$native" > /tmp/native.list 2> /tmp/native.lerr; nrc=$?
verityfs list "$mnt" > /tmp/vx.list 2> /tmp/vx.lerr; vrc=$?
check_eq "list native: exit 0, nothing on stderr" "0 " "$nrc $(cat /tmp/native.lerr)"
check_eq "list verityfs: exit 0, nothing on stderr" "0 " "$vrc $(cat /tmp/vx.lerr)"
sed "s| $native/| |" /tmp/native.list > /tmp/native.rel
sed "s| $mnt/| |" /tmp/vx.list > /tmp/vx.rel
diag "verityfs list: $(tr '\n' '|' < /tmp/vx.rel)"
check_eq "list finds the four verity files, in byte order, nothing else" \
	"empty rand1m sub/deeper/signed sub/salted512" "$(awk '{ print $4 }' /tmp/vx.rel | tr '\n' ' ' | sed 's/ $//')"
if grep -q ' - - ' /tmp/native.rel; then
	# Native fs-verity before 5.12 cannot read its descriptor back.
	check_eq "list: the digests and paths equal native ext4's (5.10: no metadata ioctl there)" \
		"$(awk '{ print $1, $4 }' /tmp/native.rel)" "$(awk '{ print $1, $4 }' /tmp/vx.rel)"
else
	check_eq "list: verityfs's lines equal native ext4's" "$(cat /tmp/native.rel)" "$(cat /tmp/vx.rel)"
fi
check_eq "list: block size and signature state of each" \
	"4096 unsigned empty|4096 unsigned rand1m|4096 signed sub/deeper/signed|4096 unsigned sub/salted512" \
	"$(awk '{ print $2, $3, $4 }' /tmp/vx.rel | tr '\n' '|' | sed 's/|$//')"
for f in rand1m sub/salted512 sub/deeper/signed empty; do
	check_eq "list: the digest of $f is what fsverity measure prints" \
		"$(fsverity measure "$mnt/$f" | cut -d' ' -f1)" "$(awk -v p="$f" '$4 == p { print $1 }' /tmp/vx.rel)"
done
check_eq "list of one file names only it" "$(grep " $mnt/rand1m\$" /tmp/vx.list)" "$(verityfs list "$mnt/rand1m")"
verityfs list "$mnt/no-such" > /dev/null 2> /tmp/err; rc=$?
check_eq "list of a missing path: exit 1 and the reason" "1 verityfs list: $mnt/no-such: No such file or directory" \
	"$rc $(cat /tmp/err)"
verityfs list > /dev/null 2>&1; rc=$?
check_eq "list without a PATH: exit 2 (usage)" 2 "$rc"

# scrub, clean: every verity byte read, nothing found.
verityfs scrub "$native" "$mnt" > /tmp/scrub.out 2>&1; rc=$?
check_eq "scrub of clean files: exit 0" 0 "$rc"
check "scrub of clean files: summary of 8 files, 2 x 1448576 bytes, nothing corrupt" \
	grep -qx "verityfs scrub: 8 verity files, 2897152 bytes read: 0 with corrupt blocks, 0 failed" /tmp/scrub.out

# The same two bytes changed under both rand1m: in the second page and in
# page 146, at byte 600000. verityfs's rand1m is read into the page cache
# first and no cache is dropped by hand: scrub must drop the cached
# (verified) pages itself to see the change behind the live mount.
cat "$mnt/rand1m" > /dev/null
flip() { printf 'X' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
flip "$lower/rand1m" 5000
flip "$lower/rand1m" 600000
# Native: the bytes on the ext4 image, found with FIEMAP as xfstests does.
img=/tmp/${native#/mnt/}.img
blk=$(filefrag -v "$native/rand1m" | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4 }')
umount "$native"
flip "$img" $((blk * 4096 + 5000))
flip "$img" $((blk * 4096 + 600000))
mount -o loop "$img" "$native"
verityfs scrub "$native" > /tmp/native.scrub 2>&1; nrc=$?
verityfs scrub "$mnt" > /tmp/vx.scrub 2>&1; vrc=$?
diag "native scrub: $(tr '\n' '|' < /tmp/native.scrub)"
diag "verityfs scrub: $(tr '\n' '|' < /tmp/vx.scrub)"
check_eq "scrub native ext4 after the change: exit 1" 1 "$nrc"
check_eq "scrub verityfs after the change: exit 1" 1 "$vrc"
check_eq "scrub reports the two changed pages of rand1m, as byte ranges" \
	"CORRUPT 4096-8191 $mnt/rand1m|CORRUPT 598016-602111 $mnt/rand1m" \
	"$(grep '^CORRUPT' /tmp/vx.scrub | tr '\n' '|' | sed 's/|$//')"
check_eq "scrub reports the same for native ext4 and verityfs" \
	"$(sed "s| $native/| |" /tmp/native.scrub)" "$(sed "s| $mnt/| |" /tmp/vx.scrub)"
check "the summary counts one file with corrupt blocks" \
	grep -q "4 verity files, .*: 1 with corrupt blocks, 0 failed" /tmp/vx.scrub
check_eq "the rest of rand1m still reads (the page after the first range)" ok \
	"$(vx-sys pread1 "$mnt/rand1m" 8192)"

# A verity file that no longer opens (its data resized on the lower: EINVAL).
cp "$DATA/rand1m" "$mnt/cut"
fsverity enable "$mnt/cut"
truncate -s 4096 "$lower/cut"
echo 3 > /proc/sys/vm/drop_caches
verityfs scrub -q "$mnt" > /tmp/vx.scrub 2>&1; rc=$?
check_eq "scrub -q: a verity file that fails to open is FAILED, exit 1" \
	"1 FAILED $mnt/cut: Invalid argument" "$rc $(grep -v CORRUPT /tmp/vx.scrub)"
rm -f "$lower/cut"

# Paths from a file, missing paths, usage.
printf '# scrub these\n\n%s\n' "$mnt/sub" > /tmp/paths
verityfs scrub -v --paths-from /tmp/paths > /tmp/vx.scrub 2>&1; rc=$?
check_eq "scrub --paths-from: the listed tree only, -v names each clean file, exit 0" \
	"0 ok $mnt/sub/deeper/signed|ok $mnt/sub/salted512|verityfs scrub: 2 verity files, 400000 bytes read: 0 with corrupt blocks, 0 failed" \
	"$rc $(tr '\n' '|' < /tmp/vx.scrub | sed 's/|$//')"
verityfs scrub -q "$mnt/no-such" "$mnt/sub" > /dev/null 2>&1; rc=$?
check_eq "scrub of a missing path: exit 4" 4 "$rc"
verityfs scrub > /dev/null 2>&1; rc=$?
check_eq "scrub without a PATH: exit 2 (usage)" 2 "$rc"

umount "$mnt"
umount "$lower"
umount "$native"
check "rmmod verityfs" unload_module
