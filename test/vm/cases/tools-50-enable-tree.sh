# SPDX-License-Identifier: GPL-2.0-only
# `verityfs enable --descriptor=D --tree=T [--signature=S] FILE`
# (VERITYFS_IOC_ENABLE_FROM_TREE) with what the stock tool writes in the
# guest: `fsverity digest --out-descriptor --out-merkle-tree` and `fsverity
# sign`'s signatures of host-data.sh. The oracles are fsverity-utils and the
# kernel's own FS_IOC_ENABLE_VERITY on a copy of the same bytes: digests
# equal `fsverity digest`'s, the tree and descriptor read back equal what
# fsverity wrote, errors equal `fsverity enable`'s where both apply (signature
# checks, require_signatures, a user without write permission). Then: a data
# size other than the descriptor's is EINVAL; a changed tree reads as EIO.
# Copyright (C) 2026 The verityfs authors

S=$DATA/sig
T=/tmp/t50
NOBODY="vx-asuser 65534 65534"
modprobe -q sha512_generic 2>/dev/null	# =m on 5.10 and 6.1
load_module
keyctl padd asymmetric '' %keyring:.verityfs < "$S/key1.der" > /dev/null
mkdir -p "$T" /mnt/vx-t50
chmod 0755 "$T"

head -c 300000 "$DATA/rand1m" > "$T/r300k"
head -c 4096 "$DATA/rand1m" > "$T/one"
head -c 100000 /dev/zero > "$T/zero100k"
: > "$T/empty"

# mk_meta NAME SRC [fsverity digest options]: $T/NAME.{desc,tree,digest}
mk_meta() {
	_n=$1 _src=$2; shift 2
	fsverity digest "$@" --out-descriptor="$T/$_n.desc" --out-merkle-tree="$T/$_n.tree" \
		"$_src" | cut -d' ' -f1 > "$T/$_n.digest"
}

for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "$fs: make the lower"; continue; }
	mnt=/mnt/vx-t50
	mount -t verityfs "$lower" "$mnt" || { not_ok "$fs: mount verityfs"; free_lower "$lower"; continue; }
	bad=
	for spec in "rand1m $DATA/rand1m" "r300k-512-salt $T/r300k --hash-alg=sha512 --salt=abcd" \
		"r300k-1k $T/r300k --block-size=1024 --salt=0011223344556677" \
		"one $T/one" "empty $T/empty"; do
		# shellcheck disable=SC2086 # spec is words
		set -- $spec
		n=$1 src=$2; shift 2
		mk_meta "$n" "$src" "$@"
		cp "$src" "$mnt/$n"
		if ! out=$(verityfs enable --descriptor="$T/$n.desc" --tree="$T/$n.tree" "$mnt/$n" 2>&1); then
			bad="$bad $n(enable: $out)"
			continue
		fi
		[ "$(fsverity measure "$mnt/$n" | cut -d' ' -f1)" = "$(cat "$T/$n.digest")" ] || bad="$bad $n(digest)"
		cmp -s "$mnt/$n" "$src" || bad="$bad $n(data)"
		fsverity dump_metadata descriptor "$mnt/$n" > "$T/got.desc" 2>/dev/null
		cmp -s "$T/got.desc" "$T/$n.desc" || bad="$bad $n(descriptor read back)"
		fsverity dump_metadata merkle_tree "$mnt/$n" > "$T/got.tree" 2>/dev/null
		cmp -s "$T/got.tree" "$T/$n.tree" || bad="$bad $n(tree read back)"
	done
	# 5.10's native-less kernels still have verityfs's READ_VERITY_METADATA.
	check_eq "$fs: enable --tree: digest, data, descriptor and tree as fsverity's (sha256, sha512+salt, 1K+salt, one block, empty)" \
		"" "$bad"

	# Without --tree: rebuilt by the tool, same digest.
	cp "$T/r300k" "$mnt/rebuilt"
	check "$fs: enable without --tree (the tool rebuilds it)" \
		verityfs enable --descriptor="$T/r300k-1k.desc" "$mnt/rebuilt"
	check_eq "$fs: its digest is fsverity digest's" "$(cat "$T/r300k-1k.digest")" \
		"$(fsverity measure "$mnt/rebuilt" | cut -d' ' -f1)"
	umount "$mnt"
	free_lower "$lower"
done

lower=$(mk_lower ext4) || { not_ok "make the lower"; return 0; }
mount -t verityfs "$lower" "$mnt" || { not_ok "mount verityfs"; return 0; }
chmod 0755 "$mnt"	# uid 65534 must reach the files below
mk_meta r300k "$T/r300k"

# Wrong data size: one byte short, one byte more.
head -c 299999 "$T/r300k" > "$mnt/short"
check_fails "a file one byte shorter than the descriptor's data size: EINVAL" "Invalid argument" \
	verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" "$mnt/short"
{ cat "$T/r300k"; printf x; } > "$mnt/long"
check_fails "a file one byte longer: EINVAL" "Invalid argument" \
	verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" "$mnt/long"
check_fails "without --tree, the tool refuses it too: EINVAL" "Invalid argument" \
	verityfs enable --descriptor="$T/r300k.desc" "$mnt/long"
check_fails "the refused files are no verity files" "No data available" fsverity measure "$mnt/long"
verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" 2> /dev/null; rc=$?
check_eq "no FILE: exit 2 (usage)" 2 "$rc"
head -c 255 "$T/r300k.desc" > "$T/short.desc"
cp "$T/r300k" "$mnt/d255"
verityfs enable --descriptor="$T/short.desc" --tree="$T/r300k.tree" "$mnt/d255" > /tmp/out 2>&1; rc=$?
check_eq "a 255-byte descriptor: exit 1, said so" \
	"1 verityfs enable: $T/short.desc: a descriptor has 256 bytes, not 255" "$rc $(cat /tmp/out)"

# A changed data byte (without --tree): refused before anything is enabled.
cp "$T/r300k" "$mnt/changed"
printf 'X' | dd of="$mnt/changed" bs=1 seek=200000 conv=notrunc 2>/dev/null
check_fails "changed data without --tree: the root hash does not match (EBADMSG)" "Bad message" \
	verityfs enable --descriptor="$T/r300k.desc" "$mnt/changed"
check_fails "  ... and it stays plain" "No data available" fsverity measure "$mnt/changed"

# A changed tree byte: enabled (the kernel reads the tree as it goes), reads EIO.
cp "$T/r300k.tree" "$T/bad.tree"
printf '\377' | dd of="$T/bad.tree" bs=1 seek=100 conv=notrunc 2>/dev/null
cp "$T/r300k" "$mnt/badtree"
check "a changed tree byte: enable succeeds" \
	verityfs enable --descriptor="$T/r300k.desc" --tree="$T/bad.tree" "$mnt/badtree"
echo 3 > /proc/sys/vm/drop_caches
check_fails "  ... and reading it fails with EIO" "Input/output error" cat "$mnt/badtree"
check_eq "  ... no page reads (pread at 0 and 200000)" "EIO EIO" \
	"$(vx-sys pread1 "$mnt/badtree" 0 2>&1) $(vx-sys pread1 "$mnt/badtree" 200000 2>&1)"
# A tree cut short.
head -c 100 "$T/r300k.tree" > "$T/cut.tree"
cp "$T/r300k" "$mnt/cuttree"
check_fails "a tree shorter than the geometry: EINVAL" "Invalid argument" \
	verityfs enable --descriptor="$T/r300k.desc" --tree="$T/cut.tree" "$mnt/cuttree"

# Signatures: the same answers as fsverity enable on a copy.
mk_meta zero100k "$T/zero100k"
cp "$T/zero100k" "$mnt/signed"
check "a signature by a trusted signer: enabled" \
	verityfs enable --descriptor="$T/zero100k.desc" --tree="$T/zero100k.tree" \
	--signature="$S/zero100k.key1.sig" "$mnt/signed"
fsverity dump_metadata signature "$mnt/signed" > "$T/got.sig" 2>/dev/null
check "  ... its signature reads back (dump_metadata signature)" cmp "$T/got.sig" "$S/zero100k.key1.sig"
check_fails "enable again: EEXIST, as upstream" "File exists" \
	verityfs enable --descriptor="$T/zero100k.desc" --tree="$T/zero100k.tree" "$mnt/signed"
for sig in zero100k.key2.sig x100k.sig; do
	cp "$T/zero100k" "$mnt/ours-$sig"
	cp "$T/zero100k" "$mnt/theirs-$sig"
	ours=$(verityfs enable --descriptor="$T/zero100k.desc" --tree="$T/zero100k.tree" \
		--signature="$S/$sig" "$mnt/ours-$sig" 2>&1 | sed 's/.*: //')
	theirs=$(fsverity enable --signature="$S/$sig" "$mnt/theirs-$sig" 2>&1 | sed 's/.*: //')
	check_eq "signature $sig: the same error as fsverity enable ($theirs)" "$theirs" "$ours"
done
mount -o remount,require_signatures "$mnt"
cp "$T/zero100k" "$mnt/ours-unsigned"
cp "$T/zero100k" "$mnt/theirs-unsigned"
ours=$(verityfs enable --descriptor="$T/zero100k.desc" --tree="$T/zero100k.tree" \
	"$mnt/ours-unsigned" 2>&1 | sed 's/.*: //')
theirs=$(fsverity enable "$mnt/theirs-unsigned" 2>&1 | sed 's/.*: //')
check_eq "require_signatures, unsigned: the same error as fsverity enable ($theirs)" "$theirs" "$ours"
cp "$T/zero100k" "$mnt/signed2"
check "require_signatures, signed by a trusted signer: enabled" \
	verityfs enable --descriptor="$T/zero100k.desc" --tree="$T/zero100k.tree" \
	--signature="$S/zero100k.key1.sig" "$mnt/signed2"
mount -o remount,norequire_signatures "$mnt"

# A user without write permission: EACCES, as fsverity enable.
cp "$T/r300k" "$mnt/roots"
chmod 0644 "$mnt/roots"
check_fails "uid 65534, no write permission: EACCES" "Permission denied" \
	$NOBODY verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" "$mnt/roots"
theirs=$($NOBODY fsverity enable "$mnt/roots" 2>&1 | sed 's/.*: //')
check_eq "  ... as fsverity enable says" "Permission denied" "$theirs"
cp "$T/r300k" "$mnt/nobodys"
chown 65534:65534 "$mnt/nobodys"
check "uid 65534 on its own file: enabled" \
	$NOBODY verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" "$mnt/nobodys"

# Not a verityfs file: the ioctl is verityfs's own.
cp "$T/r300k" /tmp/plain-tmpfs
check_fails "a file of tmpfs: ENOTTY" "Inappropriate ioctl" \
	verityfs enable --descriptor="$T/r300k.desc" --tree="$T/r300k.tree" /tmp/plain-tmpfs

umount "$mnt"
free_lower "$lower"
rm -rf "$T" /tmp/plain-tmpfs
check "rmmod verityfs" unload_module
