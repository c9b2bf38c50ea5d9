#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fetch the pinned Debian kernels (image, modules, headers, kbuild) and the
# toolchain each one's headers need, unpack them into the cache without
# installing anything into the system, and make the headers usable in place.
#
# usage: scripts/fetch-kernels.sh [ID...]     (default: every kernel in kernels.list)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "fetch-kernels.sh needs root (private apt state, chroots)"
for t in apt-get dpkg-deb depmod debootstrap unshare xz zstd; do
	command -v $t >/dev/null || die "missing $t: apt-get install apt dpkg kmod debootstrap util-linux xz-utils zstd"
done

# The kernel image: a plain linux-image package up to 6.x; on 7.x linux-image
# is a meta package and the bits are in linux-binary, -modules and -base.
image_packages() {
	local k=$1
	if apt-cache "${APT_OPTS[@]}" show "linux-binary-$k" >/dev/null 2>&1; then
		echo "linux-binary-$k linux-modules-$k linux-base-$k"
	else
		echo "linux-image-$k"
	fi
}

# Find the ELF vmlinux inside a bzImage: QEMU boots it through its PVH note,
# which skips decompressing the kernel under TCG (about 5 s for xz kernels).
extract_vmlinux() {
	local bz=$1 out=$2 off magic
	for magic in 'FD377A585A00:xz -dc' '28B52FFD:zstd -dcq'; do
		for off in $(LC_ALL=C grep -obUaP "$(echo "${magic%%:*}" | sed 's/../\\x&/g')" "$bz" | cut -d: -f1); do
			tail -c +$((off + 1)) "$bz" | ${magic#*:} > "$out.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
				mv "$out.tmp" "$out"; return 0
			fi
		done
	done
	rm -f "$out.tmp"
	return 1
}

fetch_gcc10() {
	local t=$VERITYFS_CACHE/tools/gcc10 p
	[ -x "$t/usr/bin/gcc-10" ] && return 0
	apt_fetch gcc-10 cpp-10 gcc-10-base libgcc-10-dev
	rm -rf "$t.tmp"; mkdir -p "$t.tmp"
	for p in gcc-10 cpp-10 gcc-10-base libgcc-10-dev; do dpkg-deb -x "$(deb_path $p)" "$t.tmp"; done
	rm -rf "$t"; mv "$t.tmp" "$t"
}

# A minbase chroot of SUITE with the compiler its kernel headers ask for.
make_chroot() {
	local suite=$1 gcc=$2 ch=$VERITYFS_CACHE/chroot/$1
	# perl: W=1 runs kernel-doc on our files.
	local pkgs="$gcc,make,perl,pahole,kmod,xz-utils,zstd,libelf1t64,libssl3t64"
	# The package list is the recipe: a chroot made from another one is redone.
	[ "$(cat "$ch/.ready" 2>/dev/null)" = "$pkgs" ] && return 0
	note "creating the $suite build chroot (about a minute)"
	rm -rf "$ch"; mkdir -p "$ch"
	debootstrap --variant=minbase --include="$pkgs" \
		"$suite" "$ch" http://deb.debian.org/debian > "$ch.log" 2>&1 ||
		die "debootstrap $suite failed, see $ch.log"
	echo "$pkgs" > "$ch/.ready"
}

fetch_kernel() {
	local id=$1 k kb tc r h m pkgs p base series
	k=$(kernel_field "$id" 3); kb=$(kernel_field "$id" 4); tc=$(kernel_field "$id" 5)
	r=$(kernel_root "$id")
	if [ -f "$r/.ready" ]; then
		case $tc in chroot:*) make_chroot "${tc#chroot:}" "$(gcc_of "$r" "$k")" ;; gcc10) fetch_gcc10 ;; esac
		return 0
	fi
	note "fetching kernel $id ($k)"
	apt-cache "${APT_OPTS[@]}" show "linux-headers-$k" >/dev/null 2>&1 ||
		die "linux-headers-$k is no longer in Debian's archive: bump test/vm/kernels.list"
	base=${k%-amd64}
	pkgs="$(image_packages "$k") linux-headers-$k linux-headers-$base-common $kb"
	# shellcheck disable=SC2086
	apt_fetch $pkgs
	rm -rf "$r"; mkdir -p "$r"
	for p in $pkgs; do dpkg-deb -x "$(deb_path "$p")" "$r"; done

	h=$r/usr/src/linux-headers-$k
	# Debian's headers include the -common tree by absolute path (7.x also sets
	# KBUILD_OUTPUT): point them into this private root, or make would quietly
	# use whatever headers the host has installed.
	sed -i "s|\([ =]\)/usr/src/|\1$r/usr/src/|g" "$h/Makefile"
	m=$(kernel_moddir "$id")
	ln -sfn "$h" "$m/build"
	ln -sfn "$r/usr/src/linux-headers-$base-common" "$m/source"
	depmod -b "${m%/lib/modules/*}" "$k"

	# vmlinuz is in /boot up to 6.x and beside the modules on 7.x.
	for p in "$r/boot/vmlinuz-$k" "$m/vmlinuz"; do [ -f "$p" ] && cp "$p" "$r/vmlinuz"; done
	[ -f "$r/vmlinuz" ] || die "no vmlinuz in the packages of $k"
	extract_vmlinux "$r/vmlinuz" "$r/vmlinux" || note "$k: no ELF vmlinux found, booting the bzImage"

	case $tc in
	gcc10) fetch_gcc10 ;;
	chroot:*) make_chroot "${tc#chroot:}" "$(gcc_of "$r" "$k")" ;;
	esac
	touch "$r/.ready"
}

# The compiler named in the headers' config, e.g. gcc-14.
gcc_of() {
	sed -n 's/^CONFIG_CC_VERSION_TEXT="\(x86_64-linux-gnu-\)\{0,1\}\(gcc-[0-9]*\).*/\2/p' \
		"$1/usr/src/linux-headers-$2/.config" | head -n1
}

apt_private_init
ids=("$@"); [ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(kernel_ids)
for id in "${ids[@]}"; do fetch_kernel "$id"; done
