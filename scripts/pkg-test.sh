#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The user's path, tested end to end: a Debian system of the kernel's own
# suite gets the stock kernel, its headers and dkms from the archive, then the
# verityfs-dkms .deb with apt; DKMS builds the module there, with that suite's
# own compiler. The system is configured to load verityfs at boot
# (/etc/modules-load.d) and to mount it from /etc/fstab, written to an ext4
# disk image and booted under QEMU (TCG) with systemd as init. A test unit in
# the guest (test/pkg/) checks the boot and reports TAP lines on a second
# serial port. The image is booted twice, the second time to find the verity
# file of the first still intact. Finally the package is purged and the module, its DKMS tree
# and /usr/src copy must be gone.
#
# usage: scripts/pkg-test.sh [ID...]     (ids from test/vm/kernels.list; default 6.1)
# Copyright (C) 2026 The verityfs authors
#
# Environment:
#   PKG_DEB      the .deb to test (default build/deb/verityfs-dkms_<ver>_all.deb,
#                built if missing)
#   PKG_REBUILD  1 = redo the cached base system
#   PKG_TIMEOUT  seconds the guest may run (default 600)
#
# Cache (never inside the clone, rebuilt when missing):
#   $VERITYFS_CACHE/pkgtest/base/<kernel release>/   debootstrap + kernel + headers + dkms
#   $VERITYFS_CACHE/pkgtest/work/<id>/   the system under test and its disk image
# Logs and the guest's console: build/pkg/<id>/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP"

[ "$(id -u)" = 0 ] || die "pkg-test.sh needs root (debootstrap, chroot)"
for t in debootstrap chroot unshare mkfs.ext4 qemu-system-x86_64 dpkg-deb timeout; do
	command -v $t >/dev/null || die "missing $t: apt-get install $(make -s --no-print-directory apt-packages)"
done

ver=$(cat VERSION)
deb=${PKG_DEB:-build/deb/verityfs-dkms_${ver}_all.deb}
[ -f "$deb" ] || scripts/pkg-build-deb.sh build/deb >/dev/null
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
PKG_CACHE=$VERITYFS_CACHE/pkgtest
MIRROR=http://deb.debian.org/debian
MOUNT_DIR=/srv/data
fail=0

ok() { echo "ok - pkg $id: $*"; }
notok() { echo "not ok - pkg $id: $*"; fail=1; }
elapsed() { echo $(( $(date +%s) - $1 )); }

# in_root ROOT CMD...: run CMD in ROOT with /proc, /sys and /dev, in a private
# mount namespace so that nothing stays mounted, whatever happens.
in_root() {
	local r=$1; shift
	unshare -m --propagation private sh -c '
		r=$1; shift
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
		mount --rbind /dev "$r/dev" && mount -t tmpfs tmpfs "$r/run" &&
		exec chroot "$r" "$@"' sh "$r" \
		env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# apt sources of a suite: the release, its updates and its security archive,
# where Debian puts the kernel ABI updates.
write_sources() {
	local suite=$1 f=$2
	echo "deb $MIRROR $suite main" > "$f"
	case $suite in
	sid|unstable) ;;
	*)	echo "deb $MIRROR $suite-updates main" >> "$f"
		echo "deb http://deb.debian.org/debian-security $suite-security main" >> "$f" ;;
	esac
}

# The packages of the base system: what a small real installation would have
# plus the kernel, its headers and dkms. fsverity is the package's Recommends;
# e2fsprogs (lsattr) is no longer in a trixie minbase.
base_packages() {
	echo "systemd-sysv udev kmod util-linux procps e2fsprogs openssl ca-certificates initramfs-tools" \
		"dkms fsverity linux-image-$1 linux-headers-$1"
}

# make_base ID: the cached Debian system, up to (not including) verityfs.
make_base() {
	local suite=$1 k=$2 b=$PKG_CACHE/base/$2 recipe start
	recipe="v1 $suite $(base_packages "$k")"
	if [ "${PKG_REBUILD:-0}" != 1 ] && [ "$(cat "$b.ready" 2>/dev/null)" = "$recipe" ]; then
		ok "base system ($suite, $k) from the cache"
		return 0
	fi
	start=$(date +%s)
	note "pkg $id: creating the $suite base system (a few minutes)"
	rm -rf "$b" "$b.ready"; mkdir -p "$b"
	debootstrap --variant=minbase "$suite" "$b" "$MIRROR" > "$log/base.log" 2>&1 ||
		{ notok "debootstrap $suite failed, see $log/base.log"; return 1; }
	write_sources "$suite" "$b/etc/apt/sources.list"
	# A mirror that lags (sid's Release expired here once) must not stop the
	# test: the packages are still signed and checked.
	echo 'Acquire::Check-Valid-Until "false";' > "$b/etc/apt/apt.conf.d/99verityfs-pkgtest"
	printf '#!/bin/sh\nexit 101\n' > "$b/usr/sbin/policy-rc.d"; chmod +x "$b/usr/sbin/policy-rc.d"
	# A small initramfs: the drivers for the QEMU disk and ext4, gzip so that
	# every kernel of the matrix can unpack it.
	mkdir -p "$b/etc/initramfs-tools/conf.d"
	printf 'MODULES=list\nCOMPRESS=gzip\n' > "$b/etc/initramfs-tools/conf.d/verityfs-pkgtest.conf"
	mkdir -p "$b/etc/initramfs-tools"
	printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic >> "$b/etc/initramfs-tools/modules"
	# shellcheck disable=SC2046
	in_root "$b" sh -c 'apt-get -q update && apt-get -q -y --no-install-recommends install "$@" && apt-get clean' \
		sh $(base_packages "$k") >> "$log/base.log" 2>&1 ||
		{ notok "installing the kernel, headers and dkms in $suite failed (is $k still in the archive?" \
			"see $log/base.log)"; return 1; }
	# The build link is absolute up to 6.1: look at it, not through it.
	[ -L "$b/lib/modules/$k/build" ] || [ -L "$b/usr/lib/modules/$k/build" ] ||
		{ notok "no /lib/modules/$k/build after installing linux-headers-$k"; return 1; }
	echo "$recipe" > "$b.ready"
	ok "base system ($suite, $k) created in $(elapsed "$start") s"
}

# The system under test: a copy of the base, then verityfs-dkms with apt.
install_package() {
	local k=$1 r=$2 start st
	start=$(date +%s)
	rm -rf "$r"; mkdir -p "$r"
	cp -a "$PKG_CACHE/base/$k/." "$r/"
	cp "$deb" "$r/tmp/"
	# As a user would: apt resolves the dependencies, the maintainer scripts
	# that dh_dkms generated run dkms add, build and install.
	if ! in_root "$r" apt-get -q -y install "/tmp/$(basename "$deb")" > "$log/install.log" 2>&1; then
		notok "apt-get install verityfs-dkms failed, see $log/install.log"
		sed -n 's/^/#   /p' "$log/install.log" | tail -n 20
		find "$r/var/lib/dkms/verityfs" -name make.log -exec sed 's/^/#   make.log: /' {} + 2>/dev/null | tail -n 30
		return 1
	fi
	rm -f "$r/tmp/$(basename "$deb")"
	st=$(in_root "$r" dkms status -m verityfs 2>&1 || true)
	if echo "$st" | grep -q "$k.*installed"; then
		ok "apt installed verityfs-dkms; DKMS built and installed the module for $k in $(elapsed "$start") s"
	else
		notok "DKMS did not install verityfs for $k: $st (see $log/install.log)"
		return 1
	fi
	local ko signer
	ko=$(find "$r/lib/modules/$k/updates/dkms" "$r/usr/lib/modules/$k/updates/dkms" \
		-name 'verityfs.ko*' 2>/dev/null | head -n1)
	if [ -n "$ko" ]; then
		ok "module installed at ${ko#"$r"}"
		signer=$(modinfo -F signer "$ko" 2>/dev/null || true)
		echo "# pkg $id: module signer: ${signer:-none (unsigned)}"
	else
		notok "no verityfs.ko under /lib/modules/$k/updates/dkms"
		return 1
	fi
}

# What the administrator does after installing: load at boot, fstab; plus the
# test unit and a fixed machine-id so that first-boot logic stays out.
configure_system() {
	local k=$1 r=$2
	echo verityfs > "$r/etc/modules-load.d/verityfs.conf"
	mkdir -p "$r$MOUNT_DIR"
	echo 'hello from the lower directory' > "$r$MOUNT_DIR/hello.txt"
	printf '/dev/vda / ext4 rw 0 0\n%s %s verityfs defaults 0 0\n' "$MOUNT_DIR" "$MOUNT_DIR" > "$r/etc/fstab"
	install -m 755 test/pkg/guest-check.sh "$r/usr/local/sbin/verityfs-pkgtest"
	install -m 644 test/pkg/verityfs-pkgtest.service test/pkg/verityfs-pkgtest.target "$r/etc/systemd/system/"
	printf 'EXPECT_KERNEL=%s\nEXPECT_VERSION=%s\nMOUNT_DIR=%s\n' \
		"$k" "$ver" "$MOUNT_DIR" > "$r/etc/verityfs-pkgtest.conf"
	echo "verityfs-pkgtest" > "$r/etc/hostname"
	echo 0123456789abcdef0123456789abcdef > "$r/etc/machine-id"
	rm -f "$r/usr/sbin/policy-rc.d"
}

# make_image K ROOT IMG: the root as an ext4 image, with the kernel and
# initramfs to boot it copied next to it.
make_image() {
	local k=$1 r=$2 img=$3 kernel initrd size
	kernel=$(ls "$r/boot/vmlinuz-$k" "$r/usr/lib/modules/$k/vmlinuz" "$r/lib/modules/$k/vmlinuz" 2>/dev/null | head -n1)
	initrd=$(ls "$r/boot/initrd.img-$k" 2>/dev/null | head -n1)
	[ -n "$kernel" ] && [ -n "$initrd" ] || { notok "no kernel or initramfs for $k in the image root"; return 1; }
	cp "$kernel" "$work/vmlinuz"; cp "$initrd" "$work/initrd.img"
	size=$(( $(du -sm "$r" | cut -f1) + 512 ))
	rm -f "$img"; truncate -s "${size}M" "$img"
	mkfs.ext4 -q -F -L root -b 4096 -d "$r" "$img" > "$log/mkfs.log" 2>&1 ||
		{ notok "mkfs.ext4 -d failed, see $log/mkfs.log"; return 1; }
}

# pkg_boot K IMG NAME: boot the image with its own kernel and initramfs; the
# guest's TAP lines and verdict land in $log/NAME.verdict.tap.
pkg_boot() {
	local k=$1 img=$2 name=$3 start rc=0 line v
	v=$log/$name
	start=$(date +%s)
	: > "$v.verdict.txt"; : > "$v.console.log"
	vm_lock
	timeout "${PKG_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2 -no-reboot \
		-display none -monitor none -nodefaults -serial "file:$v.console.log" -serial "file:$v.verdict.txt" \
		-drive "file=$img,format=raw,if=virtio" \
		-kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
		-append "root=/dev/vda rootfstype=ext4 rw console=ttyS0 panic=-1 systemd.unit=verityfs-pkgtest.target systemd.firstboot=off" \
		> "$v.qemu.log" 2>&1 || rc=$?
	tr -d '\r' < "$v.verdict.txt" > "$v.verdict.tap" || true
	if [ $rc = 124 ]; then
		notok "$name: the guest did not power off within ${PKG_TIMEOUT:-600} s (console: $v.console.log)"
	elif [ $rc != 0 ]; then
		notok "$name: qemu exited with $rc (see $v.qemu.log)"
	fi
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) echo "${line%% - *} - pkg $id $name: ${line#* - }" | sed 's/^\(not \)\{0,1\}ok [0-9]* /\1ok /'
			case $line in "not ok "*) fail=1 ;; esac ;;
		"#"*) echo "# pkg $id $name: ${line#\# }" ;;
		esac
	done < "$v.verdict.tap"
	if grep -qx 'VERITYFS-PKGTEST-END pass' "$v.verdict.tap"; then
		ok "$name: booted $k with systemd and passed the in-guest checks in $(elapsed "$start") s"
	else
		notok "$name: no pass verdict from the guest (console: $v.console.log)"
		tr -d '\r' < "$v.console.log" | grep -E 'GUEST|verityfs|Failed|panic|emergency' | tail -n 20 | sed 's/^/#   /'
		return 1
	fi
}

# apt-get purge, then nothing of verityfs may be left.
purge_package() {
	local k=$1 r=$2 left
	if ! in_root "$r" apt-get -q -y purge verityfs-dkms > "$log/purge.log" 2>&1; then
		notok "apt-get purge verityfs-dkms failed, see $log/purge.log"
		return 1
	fi
	left=$( { find "$r/lib/modules" "$r/usr/lib/modules" -name 'verityfs.ko*' 2>/dev/null
		  ls -d "$r/var/lib/dkms/verityfs" "$r"/usr/src/verityfs-* 2>/dev/null
		  grep -l verityfs "$r"/lib/modules/*/modules.dep "$r"/usr/lib/modules/*/modules.dep 2>/dev/null
		  in_root "$r" dpkg-query -W -f='${Status}\n' verityfs-dkms 2>/dev/null | grep -v not-installed
		} | sed "s|^$r||" | sort -u | tr '\n' ' ')
	if [ -z "$left" ]; then
		ok "apt-get purge removed the module, modules.dep entry, DKMS tree and /usr/src/verityfs-$ver"
	else
		notok "left after purge: $left"
	fi
}

ids=("$@"); [ ${#ids[@]} -gt 0 ] || ids=(6.1)
# Which ABI of each series is tested (the newest Debian has, as elsewhere).
"$VERITYFS_TOP/scripts/fetch-kernels.sh" --headers "${ids[@]}" >&2 || true
for id in "${ids[@]}"; do
	t0=$(date +%s)
	suite=$(kernel_field "$id" suite); k=$(kernel_release "$id")
	log=$VERITYFS_TOP/build/pkg/$id; work=$PKG_CACHE/work/$id
	rm -rf "$log"; mkdir -p "$log" "$work"
	if make_base "$suite" "$k" && install_package "$k" "$work/root" &&
	   configure_system "$k" "$work/root" && make_image "$k" "$work/root" "$work/disk.img" &&
	   pkg_boot "$k" "$work/disk.img" boot1 && pkg_boot "$k" "$work/disk.img" boot2; then
		purge_package "$k" "$work/root" || true
	fi
	rm -f "$work/disk.img"
	echo "# pkg $id ($suite, $k) took $(elapsed "$t0") s"
done
exit $fail
