#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the test guest's initramfs for one kernel: busybox, our init and test
# cases, verityfs.ko, the in-tree modules the tests need (from that kernel's
# own package), the stock fsverity tool and mkfs tools with their libraries.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/mkinitramfs.sh ID VERITYFS_KO OUT.cpio.gz [SELFTEST_KO [OLD_DIR]]
#   SELFTEST_KO, the self-testing build of the module, goes to
#   /lib/verityfs-selftest.ko, outside modprobe's reach. OLD_DIR is
#   scripts/build-old.sh's build/old/ID: its verityfs.ko (the 0.1.0 module)
#   goes to /lib/verityfs-0.1.0.ko, also outside modprobe's reach, or its
#   "missing" note to /lib/verityfs-0.1.0.missing (the compat cases read it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

id=$1 ko=$2 out=$3 selftest_ko=${4:-} old_dir=${5:-}
k=$(kernel_release "$id")
r=$(kernel_root "$id")
m=$(kernel_moddir "$id")
ir=$(mktemp -d "${TMPDIR:-/tmp}/verityfs-ir.XXXXXX")
chmod 0755 "$ir"	# the guest's /: non-root test users must reach /bin
trap 'rm -rf "$ir"' EXIT

# Host programs copied into the guest, with the shared libraries they link.
PROGS="fsverity keyctl mke2fs mkfs.xfs mkfs.btrfs xfs_io filefrag lsattr chattr
	getfattr setfattr openssl dmsetup"
# GNU tar, which `verityfs export/import` run (tools-30); busybox keeps its
# own applet name off /bin/tar when the file is there.
PROGS="$PROGS tar"
missing=
for p in busybox $PROGS; do command -v "$p" >/dev/null || missing="$missing $p"; done
[ -z "$missing" ] || die "missing host programs:$missing (run: make deps)"

mkdir -p "$ir"/{bin,sbin,etc,proc,sys,dev,tmp,mnt,root,test/cases,test/data,lib/modules/"$k"/extra}
cp "$(command -v busybox)" "$ir/bin/busybox"
ln -s busybox "$ir/bin/sh"
ln -s ../bin/busybox "$ir/sbin/modprobe"	# request_module() runs /sbin/modprobe

copy_with_libs() {
	local bin=$1 lib
	cp "$bin" "$ir/bin/"
	for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }'); do
		[ -e "$ir$lib" ] || install -D -m 0755 "$lib" "$ir$lib"
	done
}
for p in $PROGS; do copy_with_libs "$(command -v "$p")"; done
ln -s mke2fs "$ir/bin/mkfs.ext4"
cp /etc/mke2fs.conf "$ir/etc/"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n' > "$ir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$ir/etc/group"

# Static helper programs of the test suite.
for c in "$VERITYFS_TOP"/test/vm/tools/*.c; do
	[ -e "$c" ] || continue
	gcc -O2 -static -Wall -Werror -o "$ir/bin/$(basename "$c" .c)" "$c" ||
		die "cannot build $c (static glibc: apt-get install libc6-dev)"
done
# The verityfs tool (tools/, verityfs(8)), as its Makefile builds it, static.
gcc -O2 -static -Wall -Werror -I"$VERITYFS_TOP/include" \
	-DVERITYFS_VERSION="\"$(cat "$VERITYFS_TOP/VERSION")\"" \
	-o "$ir/bin/verityfs" "$VERITYFS_TOP"/tools/*.c || die "cannot build tools/"

# In-tree modules and everything they depend on. Kernels differ in names
# (7.x has no sha256_ssse3 or crc32c_generic), so missing ones are skipped.
# virtio_blk carries the benchmark's disk (scripts/bench.sh).
# sha256_ssse3 is deliberately left out: emulated AVX is slower than the
# generic code under TCG.
base=${m%/lib/modules/*}
# virtio_pci and virtio_blk give vm-persist.sh its disks (modules up to 6.1).
# quota_v2 reads ext4's quota files (store-30-quota: mkfs.ext4 -O quota).
# dm_mod and dm_flakey put failing devices under a lower (robust-40-dmerror).
for mod in loop ext4 quota_v2 xfs btrfs overlay sha256_generic sha512_generic crc32c_generic crc32c-intel dm_mod dm_flakey \
	virtio_pci virtio_blk; do
	modprobe -d "$base" -S "$k" --show-depends "$mod" 2>/dev/null || true
done | awk '$1 == "insmod" { print $2 }' | sort -u | while read -r f; do
	rel=${f#"$m"/}
	dst=$ir/lib/modules/$k/$rel
	mkdir -p "$(dirname "$dst")"
	case $f in
	*.xz) xz -dc "$f" > "${dst%.xz}" ;;
	*.zst) zstd -dcq "$f" > "${dst%.zst}" ;;
	*) cp "$f" "$dst" ;;
	esac
done
cp "$ko" "$ir/lib/modules/$k/extra/verityfs.ko"
[ -z "$selftest_ko" ] || cp "$selftest_ko" "$ir/lib/verityfs-selftest.ko"
if [ -f "$old_dir/verityfs.ko" ]; then
	cp "$old_dir/verityfs.ko" "$ir/lib/verityfs-0.1.0.ko"
elif [ -f "$old_dir/missing" ]; then
	cp "$old_dir/missing" "$ir/lib/verityfs-0.1.0.missing"
else
	echo "skip: this initramfs was made without the 0.1.0 module" > "$ir/lib/verityfs-0.1.0.missing"
fi
cp "$m/modules.order" "$m/modules.builtin" "$ir/lib/modules/$k/" 2>/dev/null || true
depmod -b "$ir" "$k"

cp "$VERITYFS_TOP/test/vm/init" "$ir/init"
cp "$VERITYFS_TOP/test/vm/guest-lib.sh" "$ir/test/"
cp "$VERITYFS_TOP"/test/vm/cases/*.sh "$ir/test/cases/"
cp -r "$VERITYFS_TOP/test/vm/parity" "$ir/test/parity"
cp -r "$VERITYFS_TOP/test/vm/perm" "$ir/test/perm"
"$VERITYFS_TOP/test/vm/host-data.sh" "$ir/test/data"
chmod 0755 "$ir/init"

(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
