# SPDX-License-Identifier: GPL-2.0-only
# `verityfs export` and `verityfs import` (docs/tar.md): verity files carried
# in a pax tar archive, GNU tar doing the archiving. On each lower, verity
# files of every kind (sha256, sha512 with a salt, 1K blocks, signed, empty,
# one block, less than a block, a hard link, a 300-byte path, a plain file
# beside them) are exported with and without --tree and imported through a
# verityfs mount of another lower. The oracles: `fsverity digest` of the
# plain bytes in the guest, the source's `fsverity measure`, the signature
# file itself. A plain `tar -x` of an archive gives plain files. A changed
# data, tree, descriptor or signature byte in an archive is refused at import
# (the file is removed, exit 1) or reads as EIO; never as other bytes.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
W=/tmp/t30
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1
load_module
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
mkdir -p "$W" /mnt/vx-s /mnt/vx-d
head -c 300000 "$DATA/rand1m" > "$W/r300k"
head -c 4096 "$DATA/rand1m" > "$W/one"
head -c 100 "$DATA/rand1m" > "$W/small"
head -c 100000 /dev/zero > "$W/zero100k"
: > "$W/empty"
LONG=$(printf 'd%.0s' $(seq 1 100))/$(printf 'f%.0s' $(seq 1 200))

# NAME SOURCE [fsverity options]; the signed one gets key1's signature.
cat > "$W/specs" <<EOS
rand1m $DATA/rand1m
sub/salted512 $W/r300k --hash-alg=sha512 --salt=abcd
sub/k1 $W/r300k --block-size=1024 --salt=00112233
sub/deeper/signed $W/zero100k
empty $W/empty
one $W/one
small $W/small
$LONG $W/r300k --hash-alg=sha512
EOS
# The oracle: fsverity digest of the plain bytes.
while read -r name from opts; do
	# shellcheck disable=SC2086 # opts is words
	echo "$name $(fsverity digest $opts "$from" | cut -d' ' -f1)"
done < "$W/specs" > "$W/want"

make_files() { # MNT
	while read -r name from opts; do
		case $name in */*) mkdir -p "$1/${name%/*}" ;; esac
		cp "$from" "$1/$name"
		sig=
		[ "$name" = sub/deeper/signed ] && sig=--signature=$S/zero100k.key1.sig
		# shellcheck disable=SC2086 # opts is words
		fsverity enable $opts $sig "$1/$name" || echo "enable $name failed"
	done < "$W/specs"
	ln "$1/rand1m" "$1/sub/rand1m.link"
	head -c 5000 "$DATA/rand1m" > "$1/plain"
}

# check_tree KIND DIR: the imported files against the oracle and the sources.
check_tree() {
	bad=
	while read -r name from _; do
		got=$(fsverity measure "$2/$name" 2>&1 | cut -d' ' -f1)
		[ "$got" = "$(awk -v n="$name" '$1 == n { print $2 }' "$W/want")" ] || bad="$bad $name($got)"
		cmp -s "$2/$name" "$from" || bad="$bad $name(data)"
	done < "$W/specs"
	check_eq "$fs: $1: every verity file has fsverity digest's digest and its bytes" "" "$bad"
	check_eq "$fs: $1: digests equal the source's fsverity measure" \
		"$(cat "$W/src.measure")" "$(while read -r n _; do fsverity measure "$2/$n" | cut -d' ' -f1; done < "$W/specs")"
	fsverity dump_metadata signature "$2/sub/deeper/signed" > "$W/got.sig" 2>&1
	check "$fs: $1: the signature came along" cmp "$W/got.sig" "$S/zero100k.key1.sig"
	check_eq "$fs: $1: the hard link is one inode with rand1m, verity" \
		"$(stat -c %i "$2/rand1m") $(grep '^rand1m ' "$W/want" | cut -d' ' -f2)" \
		"$(stat -c %i "$2/sub/rand1m.link") $(fsverity measure "$2/sub/rand1m.link" | cut -d' ' -f1)"
	check_fails "$fs: $1: the plain file stays plain" "No data available" fsverity measure "$2/plain"
	check "$fs: $1: ... with its bytes" sh -c "head -c 5000 '$DATA/rand1m' | cmp - '$2/plain'"
}

next_fs() { case $1 in ext4) echo xfs ;; xfs) echo btrfs ;; btrfs) echo tmpfs ;; *) echo ext4 ;; esac; }

for fs in $LOWERS; do
	to=$(next_fs "$fs")
	src=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	dst=$(mk_lower "$to") || { not_ok "$to: make the lower"; free_lower "$src"; continue; }
	mount -t verityfs "$src" /mnt/vx-s && mount -t verityfs "$dst" /mnt/vx-d ||
		{ not_ok "$fs: mount verityfs"; umount /mnt/vx-s; free_lower "$src"; free_lower "$dst"; continue; }
	make_files /mnt/vx-s > "$W/err" 2>&1
	check_eq "$fs: the source files are made" "" "$(cat "$W/err")"
	while read -r n _; do fsverity measure "/mnt/vx-s/$n" | cut -d' ' -f1; done < "$W/specs" > "$W/src.measure"

	verityfs export -C /mnt/vx-s -f "$W/plain.tar" . > "$W/err" 2>&1; rc=$?
	check_eq "$fs: export: exit 0, nothing on stderr" "0 " "$rc $(cat "$W/err")"
	verityfs export --tree -C /mnt/vx-s -f "$W/tree.tar" . > "$W/err" 2>&1; rc=$?
	check_eq "$fs: export --tree: exit 0, nothing on stderr" "0 " "$rc $(cat "$W/err")"
	diag "$fs: archives: $(stat -c %s "$W/plain.tar") and $(stat -c %s "$W/tree.tar") bytes"
	for kind in plain tree; do
		mkdir -p "/mnt/vx-d/$kind"
		verityfs import -C "/mnt/vx-d/$kind" -f "$W/$kind.tar" > "$W/err" 2>&1; rc=$?
		check_eq "$fs -> $to: import of the $kind archive: exit 0, nothing on stderr" "0 " "$rc $(cat "$W/err")"
		check_tree "$to ($kind)" "/mnt/vx-d/$kind"
	done
	fsverity dump_metadata merkle_tree /mnt/vx-s/rand1m > "$W/src.tree"
	fsverity dump_metadata merkle_tree /mnt/vx-d/tree/rand1m > "$W/dst.tree"
	check "$fs -> $to: the carried tree is the source's" cmp "$W/src.tree" "$W/dst.tree"
	mkdir -p /mnt/vx-d/pipe
	verityfs export -C /mnt/vx-s -f - sub | verityfs import -C /mnt/vx-d/pipe -f - > "$W/err" 2>&1; rc=$?
	check_eq "$fs -> $to: export -f - PATH | import -f -: exit 0" "0 " "$rc $(cat "$W/err")"
	check_eq "$fs -> $to: ... sub/salted512 came through the pipe" \
		"$(grep '^sub/salted512 ' "$W/want" | cut -d' ' -f2)" \
		"$(fsverity measure /mnt/vx-d/pipe/sub/salted512 | cut -d' ' -f1)"
	check_fails "$fs -> $to: ... and nothing outside PATH" "No such file" ls /mnt/vx-d/pipe/rand1m

	# Importing again over the verity files: tar replaces them (it unlinks
	# a file in the way), import makes the new ones verity.
	verityfs import -C /mnt/vx-d/plain -f "$W/plain.tar" > "$W/err" 2>&1; rc=$?
	check_eq "$fs -> $to: importing again over the same files: exit 0" "0 " "$rc $(cat "$W/err")"
	check_eq "$fs -> $to: ... and they are verity with the same digests" "$(cat "$W/src.measure")" \
		"$(while read -r n _; do fsverity measure "/mnt/vx-d/plain/$n" | cut -d' ' -f1; done < "$W/specs")"
	if [ "$fs" != ext4 ]; then
		umount /mnt/vx-s /mnt/vx-d
		free_lower "$src"
		free_lower "$dst"
	fi
	[ "$fs" = ext4 ] && { esrc=$src; edst=$dst; }
done
[ -n "${esrc:-}" ] || { not_ok "no ext4 pair for the rest"; return 0; }
src=$esrc dst=$edst

# A plain tar -x: plain files, no attribute, no complaint.
mkdir -p "$W/px"
tar -xf "$W/tree.tar" -C "$W/px" > "$W/err" 2>&1; rc=$?
check_eq "plain tar -x of an export --tree archive: exit 0, nothing on stderr" "0 " "$rc $(cat "$W/err")"
check "plain tar -x: the bytes of every file" sh -c "cmp '$W/px/rand1m' '$DATA/rand1m' && cmp '$W/px/$LONG' '$W/r300k' && cmp '$W/px/empty' '$W/empty'"
check_eq "plain tar -x: no extended attribute" "" "$(getfattr -R -d -m - "$W/px" 2>/dev/null)"
check_fails "plain tar -x: not verity" "Inappropriate ioctl\|not supported\|No data" fsverity measure "$W/px/rand1m"
rm -rf "$W/px"

# --- tampered archives ---------------------------------------------------
# One file each, so that the first record of a kind is that file's.
verityfs export -C /mnt/vx-s -f "$W/r.tar" rand1m
verityfs export --tree -C /mnt/vx-s -f "$W/rt.tar" rand1m
verityfs export -C /mnt/vx-s -f "$W/s.tar" sub/deeper/signed
# rec_off ARCHIVE KEY: the offset of KEY's value in the archive.
rec_off() {
	strings -t d -n 6 "$1" | awk -v k="SCHILY.xattr.user.verityfs.$2=" '
		{ s = $0; sub(/^ *[0-9]+ /, "", s); p = index(s, k)
		  if (p) { print $1 + p - 1 + length(k); exit } }'
}
# data_off ARCHIVE: the first member's data (after our 'x' header and its own).
data_off() {
	_sz=$(dd if="$1" bs=1 skip=124 count=11 2>/dev/null)
	echo $((512 + (0$_sz + 511) / 512 * 512 + 512))
}
flip() { # FILE OFFSET: one byte changed (+1)
	_b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059 # the format is the byte
	printf "\\$(printf %03o $(((_b + 1) % 256)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
check_eq "the one-file archive starts with an extended header" "x" "$(dd if="$W/r.tar" bs=1 skip=156 count=1 2>/dev/null)"
check "the data found in the archive is rand1m's" sh -c \
	"dd if='$W/r.tar' bs=1 skip=$(data_off "$W/r.tar") count=4096 2>/dev/null | cmp - '$W/one'"
dd if="$W/rt.tar" bs=1 skip="$(rec_off "$W/rt.tar" descriptor)" count=256 2>/dev/null > "$W/desc.found"
fsverity dump_metadata descriptor /mnt/vx-s/rand1m > "$W/desc.src"
check "the descriptor found in the archive is rand1m's" cmp "$W/desc.found" "$W/desc.src"

# try KIND ARCHIVE FILE ORIG: import into a fresh directory t$n; writes to
# $W/how "exit N" and how FILE reads: "absent", "same" (ORIG's bytes),
# "EIO", or "WRONG". Not in $(...): n counts on.
n=0
try() {
	n=$((n + 1))
	_d=/mnt/vx-d/t$n
	mkdir -p "$_d"
	verityfs import -C "$_d" -f "$2" > "$W/err.$n" 2>&1
	_rc=$?
	if [ ! -e "$_d/$3" ]; then _how=absent
	elif cat "$_d/$3" > "$W/read" 2> "$W/rerr"; then
		if cmp -s "$W/read" "$4"; then _how=same; else _how=WRONG; fi
	elif grep -q "Input/output error" "$W/rerr"; then _how=EIO
	else _how="other: $(cat "$W/rerr")"; fi
	echo "exit $_rc $_how" > "$W/how"
}
cp "$W/r.tar" "$W/x.tar"; flip "$W/x.tar" $(($(data_off "$W/x.tar") + 600000))
try data "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "a data byte changed, no tree: refused, file removed" "exit 1 absent" "$(cat "$W/how")"
check "  ... the message names the file" grep -q "rand1m: not restored: .*root hash" "$W/err.$n"
cp "$W/rt.tar" "$W/x.tar"; flip "$W/x.tar" $(($(data_off "$W/x.tar") + 600000))
try data "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "a data byte changed, with the tree: imported, reads EIO" "exit 0 EIO" "$(cat "$W/how")"
check_eq "  ... page 0 reads, page 146 (the changed byte) does not" "ok EIO" \
	"$(vx-sys pread1 "/mnt/vx-d/t$n/rand1m" 0) $(vx-sys pread1 "/mnt/vx-d/t$n/rand1m" 600000)"
cp "$W/rt.tar" "$W/x.tar"; flip "$W/x.tar" $(($(rec_off "$W/x.tar" tree) + 4096 + 146 * 32))
try tree "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "a tree byte changed: imported, reads EIO" "exit 0 EIO" "$(cat "$W/how")"
check_eq "  ... where that tree block covers (page 146), not elsewhere (page 0)" "ok EIO" \
	"$(vx-sys pread1 "/mnt/vx-d/t$n/rand1m" 0) $(vx-sys pread1 "/mnt/vx-d/t$n/rand1m" 600000)"
cp "$W/r.tar" "$W/x.tar"; flip "$W/x.tar" $(($(rec_off "$W/x.tar" descriptor) + 20))
try desc "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "a root hash byte of the descriptor changed, no tree: refused" "exit 1 absent" "$(cat "$W/how")"
cp "$W/rt.tar" "$W/x.tar"; flip "$W/x.tar" $(($(rec_off "$W/x.tar" descriptor) + 20))
try desc "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "a root hash byte changed, with the tree: reads EIO" "exit 0 EIO" "$(cat "$W/how")"
cp "$W/r.tar" "$W/x.tar"; flip "$W/x.tar" $(($(rec_off "$W/x.tar" descriptor) + 8))
try desc "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "the data size in the descriptor changed: refused" "exit 1 absent" "$(cat "$W/how")"
sigsz=$(stat -c %s "$S/zero100k.key1.sig")
cp "$W/s.tar" "$W/x.tar"; flip "$W/x.tar" $(($(rec_off "$W/x.tar" signature) + sigsz - 20))
try sig "$W/x.tar" sub/deeper/signed "$W/zero100k"
check_eq "a signature byte changed: refused by the kernel, removed" "exit 1 absent" "$(cat "$W/how")"
diag "signature: $(cat "$W/err.$n" | tr '\n' '|')"
try sig "$W/s.tar" sub/deeper/signed "$W/zero100k"
check_eq "the untouched signed archive imports" "exit 0 same" "$(cat "$W/how")"
mount -o remount,require_signatures /mnt/vx-d
try req "$W/r.tar" rand1m "$DATA/rand1m"
check_eq "require_signatures: an unsigned file is refused, removed" "exit 1 absent" "$(cat "$W/how")"
try req "$W/s.tar" sub/deeper/signed "$W/zero100k"
check_eq "require_signatures: the signed one imports" "exit 0 same" "$(cat "$W/how")"
mount -o remount,norequire_signatures /mnt/vx-d
head -c 3000 "$W/rt.tar" > "$W/x.tar"
try cut "$W/x.tar" rand1m "$DATA/rand1m"
check_eq "an archive cut short: exit 1, nothing left plain" "exit 1 absent" "$(cat "$W/how")"

umount /mnt/vx-s /mnt/vx-d
free_lower "$src"
free_lower "$dst"
rm -rf "$W"
check "rmmod verityfs" unload_module
