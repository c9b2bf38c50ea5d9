#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Host tests of the verityfs tool's kernel-free parts (make check-tools):
# SHA-2 against sha256sum/sha512sum, the Merkle tree rebuild and the file
# digest against the stock `fsverity digest`, and the pax filter of export
# and import against GNU tar. TAP on stdout.
# Copyright (C) 2026 The verityfs authors
#
# usage: test/tools/run.sh VT_TOOLTEST [VERITYFS]
#   VERITYFS, the tool: also `verityfs gc` on a tmpfs with hand-made records
#   and objects (root only) and import's refusals on a filesystem without
#   fs-verity.
set -uo pipefail
T=$1 V=${2:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/verityfs-tooltest.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
fails=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fails=$((fails + 1)); }
check() { local d=$1; shift; if "$@" > /dev/null 2>&1; then ok "$d"; else not_ok "$d"; fi; }

# Deterministic bytes.
{ openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 \
	-in /dev/zero 2>/dev/null || true; } | head -c 1100000 > rand

# --- SHA-2: every padding boundary ----------------------------------------
bad=
for n in 0 1 55 56 63 64 111 112 119 127 128 129 1000 1100000; do
	head -c "$n" rand > f
	[ "$("$T" hash sha256 f)" = "$(sha256sum f | cut -d' ' -f1)" ] || bad="$bad sha256/$n"
	[ "$("$T" hash sha512 f)" = "$(sha512sum f | cut -d' ' -f1)" ] || bad="$bad sha512/$n"
done
if [ -z "$bad" ]; then ok "SHA-256 and SHA-512 equal sha256sum/sha512sum at 14 sizes"
else not_ok "SHA-2 differs:$bad"; fi

# --- the tree rebuild and the digest against fsverity digest ---------------
if command -v fsverity > /dev/null; then
	bad='' n=0
	for size in 0 1 1024 4095 4096 4097 65536 300000 1100000; do
		head -c "$size" rand > f
		for p in "--hash-alg=sha256" "--hash-alg=sha512" "--salt=abcd" \
			"--block-size=1024" "--hash-alg=sha512 --block-size=1024 --salt=$(printf '%064d' 7)"; do
			# shellcheck disable=SC2086 # the options are words
			want=$(fsverity digest $p --out-descriptor=desc --out-merkle-tree=tree f | cut -d' ' -f1)
			n=$((n + 1))
			if ! "$T" tree desc f mytree || ! cmp -s tree mytree ||
				[ "$("$T" digest desc)" != "$want" ]; then
				bad="$bad [$size $p]"
			fi
		done
	done
	if [ -z "$bad" ]; then ok "tree and digest equal fsverity digest's in $n cases (sizes 0..1100000, sha256/512, 1K/4K, salts)"
	else not_ok "tree or digest differs from fsverity digest:$bad"; fi
	# A changed data byte must change the root hash (the check import makes).
	head -c 300000 rand > f
	fsverity digest --out-descriptor=desc f > /dev/null
	printf 'X' | dd of=f bs=1 seek=200000 conv=notrunc 2> /dev/null
	out=$("$T" tree desc f mytree)
	check "tree rebuild: one changed data byte: the root hash differs" [ "$out" = "root hash differs" ]
else
	echo "ok - tree and digest against fsverity digest # SKIP fsverity not installed"
fi

# --- the pax filter against GNU tar ---------------------------------------
mkdir -p src/sub
head -c 5000 rand > src/a
ln src/a src/sub/hardlink
: > src/empty
head -c 4096 rand > src/one-block
long=$(printf 'd%.0s' $(seq 1 120))/$(printf 'f%.0s' $(seq 1 200))
mkdir -p "src/${long%/*}"
head -c 300 rand > "src/$long"
ln -s a src/symlink
# Metadata made up for the test: any bytes, NULs and newlines included.
head -c 256 rand > desc1
printf 'line\n\0end\n' > desc2
tail -c 700 rand > sig1
head -c 200000 rand | tail -c 150000 > tree1	# a record > 64 KiB
(cd src && tar --format=pax -cf ../in.tar .) || not_ok "tar -c"
cat > map <<EOM
./a desc1 sig1 tree1
./empty desc2 - -
./one-block desc1 sig1 -
./$long desc2 sig1 tree1
EOM
"$T" inject map < in.tar > out.tar
check "inject: the archive is written" [ -s out.tar ]
check "GNU tar lists the injected archive (exit 0, nothing on stderr)" \
	bash -c "tar -tvf out.tar > list 2> err && [ ! -s err ]"
check "GNU tar lists the same members as before" \
	bash -c "diff <(tar -tf in.tar) <(tar -tf out.tar)"
mkdir plain
tar -xf out.tar -C plain 2> err; rc=$?
check "plain tar -x: exit 0, nothing on stderr" [ "$rc $(cat err)" = "0 " ]
check "plain tar -x: the same files, contents, links" diff -r src plain
check "plain tar -x: the hard link is a hard link" \
	[ "$(stat -c %i plain/a)" = "$(stat -c %i plain/sub/hardlink)" ]
if command -v getfattr > /dev/null; then
	check "plain tar -x: no extended attribute set" \
		bash -c "[ -z \"\$(getfattr -R -d -m - plain 2>/dev/null)\" ]"
fi
# What import takes out is exactly what export put in.
mkdir recs
"$T" collect recs < out.tar > stripped.tar
check "collect: the archive is read" [ -s stripped.tar ]
n=$(awk '$3 == "./a" { print $1 }' recs/list)
m=$(awk -v p="./$long" '$3 == p { print $1 }' recs/list)
e=$(awk '$3 == "./empty" { print $1 }' recs/list)
o=$(awk '$3 == "./one-block" { print $1 }' recs/list)
check "collect: a's descriptor, signature and 150000-byte tree, byte for byte" \
	bash -c "cmp recs/$n.descriptor desc1 && cmp recs/$n.signature sig1 && cmp recs/$n.tree tree1"
check "collect: the 320-byte name's records, NULs and newlines kept" \
	bash -c "cmp recs/$m.descriptor desc2 && cmp recs/$m.signature sig1 && cmp recs/$m.tree tree1"
check "collect: the empty file's descriptor only" \
	bash -c "cmp recs/$e.descriptor desc2 && [ ! -e recs/$e.signature ] && [ ! -e recs/$e.tree ]"
check "collect: one-block: descriptor and signature, no tree" \
	bash -c "cmp recs/$o.descriptor desc1 && cmp recs/$o.signature sig1 && [ ! -e recs/$o.tree ]"
check "collect: nothing for the other members (9 records in all)" \
	bash -c "[ \$(ls recs | grep -vc list) = 9 ]"
# tar archives the name it meets first as the file, the other as a link.
check "collect: the hard link and the symbolic link are seen as such" \
	bash -c "grep -Eq '^[0-9]+ 1 ./(a|sub/hardlink)\$' recs/list && grep -q '^[0-9]* 2 ./symlink\$' recs/list"
check "collect: the stream without the records is the original archive, byte for byte" \
	cmp stripped.tar in.tar
mkdir xat
tar --xattrs -xf stripped.tar -C xat 2> err; rc=$?
check "tar --xattrs -x of the stripped stream: no user.verityfs attribute" \
	bash -c "[ $rc = 0 ] && ! getfattr -R -d -m - xat 2>/dev/null | grep -q verityfs"
# Through a pipe that hands over a few bytes at a time.
rm -rf recs2; mkdir recs2
dd if=out.tar bs=37 status=none | "$T" collect recs2 | cmp - in.tar > /dev/null 2>&1; rc=$?
check "collect from a pipe of 37-byte reads: the same stream" [ "$rc" = 0 ]
check "collect from a pipe: the same records" diff -r recs recs2
# Records given twice: the filter keeps the last, as pax says.
printf './a desc1 - -\n./a desc2 - -\n' > map2
"$T" inject map2 < in.tar > twice.tar
rm -rf recs3; mkdir recs3
"$T" collect recs3 < twice.tar > /dev/null
check "a record given twice: the last one wins" cmp "recs3/$n.descriptor" desc2
# A damaged header is refused, not passed on.
cp out.tar bad.tar
printf 'Z' | dd of=bad.tar bs=1 seek=3 conv=notrunc 2> /dev/null
rm -rf recs4; mkdir recs4
check "a damaged header (checksum): the filter fails" bash -c "! '$T' collect recs4 < bad.tar > /dev/null 2>&1"
head -c 10000 out.tar > cut.tar
check "an archive cut short: the filter fails" bash -c "! '$T' collect recs4 < cut.tar > /dev/null 2>&1"

# --- import where nothing can be made verity: every such file removed -----
if [ -n "$V" ]; then
	mkdir imp
	"$V" import -C imp -f out.tar > out 2> err; rc=$?
	check "import on a filesystem without fs-verity: exit 1" [ "$rc" = 1 ]
	check "  ... the files with a descriptor are gone, the others are there" \
		bash -c "[ ! -e imp/one-block ] && [ ! -e imp/empty ] && [ ! -e 'imp/$long' ] &&
			 [ -L imp/symlink ] && [ -d imp/sub ]"
	# inject put a's records on whichever name tar made the link member.
	check "  ... records on a hard link member: ignored, said so" \
		grep -q "verity metadata on a member that is not a regular file" err
	check "  ... and each is named on stderr" grep -q "empty: not restored: " err
	mkdir imp2
	head -c 3000 out.tar | "$V" import -C imp2 -f - > /dev/null 2> err; rc=$?
	check "import of a cut archive from stdin: exit 1, said so" \
		bash -c "[ $rc = 1 ] && grep -q 'ends too early' err"
fi

# --- gc on a tmpfs with hand-made records and objects ----------------------
if [ -n "$V" ] && [ "$(id -u)" = 0 ] && mkdir gcm && mount -t tmpfs tmpfs gcm 2> /dev/null; then
	mkdir -p gcm/.verityfs gcm/sub/.verityfs gcm/sub/deep gcm/other
	echo live > gcm/.verityfs/0000000000000001
	echo orphan > gcm/.verityfs/00000000000000f2
	echo v1-live > gcm/sub/.verityfs/00000000000000aa
	echo v1-orphan > gcm/sub/.verityfs/00000000000000bb
	echo not-an-object > gcm/.verityfs/0000000000000001.tmp
	touch gcm/f1 gcm/sub/deep/f2
	# v2: magic, 2, 3 reserved, id 1; v1: magic, 1, alg, size, 0, id 0xaa
	setfattr -n trusted.verityfs -v 0x76667931020000000100000000000000 gcm/f1
	setfattr -n trusted.verityfs -v 0x7666793101012000aa00000000000000 gcm/sub/deep/f2
	"$V" gc --min-age=0 "$work/gcm" > out 2> err; rc=$?
	check "gc: lists the two orphans (v2 store and 0.1.0 store), exit 1" bash -c \
		"[ $rc = 1 ] && [ \"\$(sort out)\" = 'orphan 10 $work/gcm/sub/.verityfs/00000000000000bb
orphan 7 $work/gcm/.verityfs/00000000000000f2' ]"
	"$V" gc "$work/gcm" > out 2> err; rc=$?
	check "gc: default --min-age 3600: nothing young listed, exit 0" bash -c "[ $rc = 0 ] && [ ! -s out ]"
	"$V" gc --delete --min-age=0 "$work/gcm" > out 2> err; rc=$?
	check "gc --delete: both deleted, exit 0" bash -c "[ $rc = 0 ] && [ \$(grep -c ^deleted out) = 2 ]"
	check "gc --delete: the live objects and other files stay" bash -c \
		"ls gcm/.verityfs/0000000000000001 gcm/sub/.verityfs/00000000000000aa gcm/.verityfs/0000000000000001.tmp"
	"$V" gc --min-age=0 "$work/gcm/sub" > /dev/null 2>&1; rc=$?
	check "gc of a directory that is no mount root: exit 2" [ "$rc" = 2 ]
	umount gcm
else
	echo "ok - gc on a tmpfs # SKIP needs root and a tmpfs mount"
fi

[ "$fails" = 0 ]
