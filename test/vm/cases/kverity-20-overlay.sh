# SPDX-License-Identifier: GPL-2.0-only
# Issue 15: overlayfs's verity= (6.6 and later) over a data-only lower layer
# that is a verityfs mount, as composefs builds it: the same rows as over a
# native ext4 data layer with fs-verity, and the same answers.
# Copyright (C) 2026 The verityfs authors
#
# The metadata layer is made by hand, as xfstests overlay/080 ends up with it:
# for each name a sparse file of the data file's size carrying
# trusted.overlay.redirect (the absolute path in the data-only layer) and
# trusted.overlay.metacopy, either empty (no digest) or the digest-bearing
# form: version 0, total length 4 + digest size, flags 0, the fs-verity hash
# algorithm number (1 sha256, 2 sha512), then the digest. The digests come
# from the stock `fsverity digest` of the bytes, never from the data layer.
# The oracle is overlayfs itself, over native ext4 fs-verity: each side's
# rows must give the answers overlay/080 expects, and so the same answers.

if ! kver_at_least 6 6; then
	skip "overlayfs verity= over verityfs" "overlayfs has no verity= option before 6.6 ($KVER)"
	return 0
fi
if ! modprobe overlay 2>/dev/null && ! grep -qw overlay /proc/filesystems; then
	skip "overlayfs verity= over verityfs" "no overlay module in this initramfs (scripts/mkinitramfs.sh)"
	return 0
fi
load_module

# The data files' bytes and what their metacopy xattrs record.
head -c 100000 "$DATA/rand1m" > /tmp/ovl-good
head -c 50000 "$DATA/rand1m" > /tmp/ovl-other
head -c 4097 "$DATA/rand1m" > /tmp/ovl-b1k
dig_good=$(fsverity digest /tmp/ovl-good | cut -d' ' -f1)
dig_b1k=$(fsverity digest --block-size=1024 /tmp/ovl-b1k | cut -d' ' -f1)
# Before 6.3 fs/verity takes no Merkle block smaller than a page; all
# kernels with verity= are later, so 1 KiB blocks must work on both sides.

# metacopy_value ALG:HEX: the digest-bearing xattr value, in setfattr's hex.
metacopy_value() {
	_hex=${1#*:}
	case $1 in sha512:*) _alg=2 ;; *) _alg=1 ;; esac
	printf '0x00%02x00%02x%s' $((4 + ${#_hex} / 2)) $_alg "$_hex"
}

# mk_data DIR: the data-only layer's files (the stock tool enables them).
#   good    verity, its digest recorded         b1k     the same, 1 KiB blocks
#   wrong   verity, another file's digest       plain   not verity, a digest
#   nodig   not verity, no digest recorded      nodigv  verity, no digest recorded
mk_data() {
	cp /tmp/ovl-good "$1/good"
	cp /tmp/ovl-b1k "$1/b1k"
	cp /tmp/ovl-other "$1/wrong"
	cp /tmp/ovl-good "$1/plain"
	cp /tmp/ovl-good "$1/nodig"
	cp /tmp/ovl-good "$1/nodigv"
	for n in good wrong nodigv; do fsverity enable "$1/$n" || return 1; done
	fsverity enable --block-size=1024 "$1/b1k"
}

# mk_meta DIR: the metadata layer, on the guest's tmpfs.
mk_meta() {
	mkdir -p "$1"
	for n in good b1k wrong plain nodig nodigv; do
		case $n in
		b1k) size=4097 ;; wrong) size=50000 ;; *) size=100000 ;;
		esac
		truncate -s $size "$1/$n"
		setfattr -n trusted.overlay.redirect -v "/$n" "$1/$n" || return 1
		case $n in
		good|plain|wrong) setfattr -n trusted.overlay.metacopy -v "$(metacopy_value "$dig_good")" "$1/$n" ;;
		b1k) setfattr -n trusted.overlay.metacopy -v "$(metacopy_value "$dig_b1k")" "$1/$n" ;;
		*) setfattr -n trusted.overlay.metacopy "$1/$n" ;;
		esac || return 1
	done
}

# ovl_read FILE ORIG: "ok" when FILE reads as ORIG, "EIO", or what else.
ovl_read() {
	if _err=$(cat "$1" 2>&1 > /tmp/ovl-out); then
		if cmp -s /tmp/ovl-out "$2"; then echo ok; else echo "read other bytes"; fi
	else
		case $_err in
		*"Input/output error"*) echo EIO ;;
		*) echo "error: $_err" | tail -n 1 ;;
		esac
	fi
}

orig_of() {
	case $1 in b1k) echo /tmp/ovl-b1k ;; wrong) echo /tmp/ovl-other ;; *) echo /tmp/ovl-good ;; esac
}

# What overlay/080 expects: verity=require takes only a recorded digest that
# the data file has; verity=on checks a recorded digest and takes none.
expect() {
	case $1:$2 in
	require:good|require:b1k|on:good|on:b1k|on:nodig|on:nodigv) echo ok ;;
	*) echo EIO ;;
	esac
}

ovl=/mnt/vx-ovl
mkdir -p "$ovl"
# ovl_rows SIDE DATA: every row over the data-only layer DATA.
ovl_rows() {
	_side=$1 _data=$2 _meta=/tmp/ovl-meta-$1
	mk_data "$_data" || { not_ok "$_side: make the data layer's files"; return; }
	mk_meta "$_meta" || { not_ok "$_side: make the metadata layer (setfattr trusted.overlay.*)"; return; }
	for mode in require on; do
		if ! mount -t overlay overlay \
			-o "ro,lowerdir=$_meta::$_data,metacopy=on,redirect_dir=on,verity=$mode" "$ovl"; then
			not_ok "$_side: mount overlay verity=$mode over the data-only layer" \
				"$(dmesg | grep overlayfs | tail -n 2 | tr '\n' ' ')"
			continue
		fi
		for n in good b1k wrong plain nodig nodigv; do
			check_eq "$_side: verity=$mode, $n" "$(expect $mode $n)" "$(ovl_read "$ovl/$n" "$(orig_of $n)")"
		done
		umount "$ovl"
	done
	# fs.verity.require_signatures=1: the kernel refuses the unsigned
	# file (ext4: the open fails; verityfs: no digest), overlay says EIO.
	rs=/proc/sys/fs/verity/require_signatures
	if [ -w $rs ]; then
		sync
		echo 3 > /proc/sys/vm/drop_caches
		echo 1 > $rs
		if mount -t overlay overlay \
			-o "ro,lowerdir=$_meta::$_data,metacopy=on,redirect_dir=on,verity=require" "$ovl"; then
			check_eq "$_side: require_signatures=1: verity=require, good" EIO \
				"$(ovl_read "$ovl/good" /tmp/ovl-good)"
			umount "$ovl"
		else
			not_ok "$_side: mount overlay (require_signatures=1)"
		fi
		echo 0 > $rs
	fi
}

nat=$(mk_lower ext4 -O verity) || { not_ok "native: make an ext4 with -O verity"; return 0; }
ovl_rows native-ext4 "$nat"
free_lower "$nat"

mnt=/mnt/vx-ovl-data
mkdir -p "$mnt"
for fs in $LOWERS; do
	lower=$(mk_lower "$fs") || { not_ok "verityfs-$fs: make the lower"; continue; }
	mount -t verityfs "$lower" "$mnt" || { not_ok "verityfs-$fs: mount verityfs"; continue; }
	ovl_rows "verityfs-$fs" "$mnt"
	umount "$mnt"
	free_lower "$lower"
done
check "rmmod verityfs" unload_module
