#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The user's path, tested end to end: the source package that `make deb`
# makes is built into .debs in a build system of the kernel's own suite (as
# `make deb` there would: a tool built on the host would need the host's
# glibc). A Debian system of that suite gets the stock kernel, its headers
# and dkms from the archive, then the verityfs-dkms and verityfs-tools .debs
# with apt; DKMS builds the module there, with that suite's own compiler. The system is configured
# to load verityfs at boot (/etc/modules-load.d), to trust a signer
# (/etc/verityfs/keys) and to mount two verityfs from /etc/fstab, one with
# require_signatures; it is written to an ext4 disk image and booted under
# QEMU (TCG) with systemd as init. A test unit in the guest (test/pkg/)
# checks the boot and reports TAP lines on a second serial port. The image
# is booted twice: the first boot enables a file, a signed file and an
# unsigned one; the second finds them intact, reads the signed one through
# the require_signatures mount, sees the unsigned one refused, and runs the
# package's autopkgtest (debian/tests/booted). Back on the host, the
# packages are upgraded to a test build of a higher version with a loaded
# verityfs standing in under /sys/module (the reboot notice), and finally
# purged: the module, its DKMS tree, /usr/src copy and the tool's files must
# be gone. In the first system, dkms.conf's BUILD_EXCLUSIVE_CONFIG is checked
# against a kernel configuration without CONFIG_SYSTEM_DATA_VERIFICATION
# (dkms 3.0 and later; bullseye's 2.8 ignores it).
#
# usage: scripts/pkg-test.sh [ID...]     (ids from test/vm/kernels.list; default 6.1)
# Copyright (C) 2026 The verityfs authors
#
# Environment:
#   PKG_DEB_DIR  where `make deb` put the source package verityfs_<ver>.dsc
#                (default build/deb, built if missing)
#   PKG_REBUILD  1 = redo the cached base system
#   PKG_TIMEOUT  seconds a guest boot may run (default 900)
#
# Cache (never inside the clone, rebuilt when missing):
#   $VERITYFS_CACHE/pkgtest/base/<kernel release>/   debootstrap + kernel + headers + dkms
#   $VERITYFS_CACHE/pkgtest/build/<id>/  the base + debhelper and the build tools
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
debdir=${PKG_DEB_DIR:-build/deb}
[ -f "$debdir/verityfs_$ver.dsc" ] || scripts/pkg-build-deb.sh "$debdir" >/dev/null
dsc=$(cd "$debdir" && pwd)/verityfs_$ver.dsc
# The upgrade: the same tree as a higher version.
upver=$ver+pkgtest1
updir=$VERITYFS_TOP/build/deb-upgrade
PKG_AS_VERSION=$upver scripts/pkg-build-deb.sh "$updir" > /dev/null ||
	die "cannot build the upgrade packages ($upver), see $updir/build.log"
updsc=$updir/verityfs_$upver.dsc
PKG_CACHE=$VERITYFS_CACHE/pkgtest
MIRROR=http://deb.debian.org/debian
MOUNT_DIR=/srv/data
SIGNED_DIR=/srv/signed
SIGNED_LOWER=/srv/signed-lower
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

# make_builder: the cached build system of the suite, the base plus what
# building any Debian package needs; the package's own Build-Depends come
# with each build (apt-get build-dep).
make_builder() {
	local b=$PKG_CACHE/build/$id recipe start
	recipe="v1 $(cat "$PKG_CACHE/base/$k.ready")"
	if [ "${PKG_REBUILD:-0}" != 1 ] && [ "$(cat "$b.ready" 2>/dev/null)" = "$recipe" ]; then
		return 0
	fi
	start=$(date +%s)
	rm -rf "$b" "$b.ready"; mkdir -p "$b"
	cp -a "$PKG_CACHE/base/$k/." "$b/"
	in_root "$b" sh -c 'apt-get -q -y --no-install-recommends install build-essential dpkg-dev fakeroot debhelper &&
		apt-get clean' > "$log/builder.log" 2>&1 ||
		{ notok "installing the build tools of $suite failed, see $log/builder.log"; return 1; }
	echo "$recipe" > "$b.ready"
	ok "build system ($suite) created in $(elapsed "$start") s"
}

# build_debs DSC OUTDIR: the binary packages of a source package, built in
# the suite's build system (dpkg-source -x, apt-get build-dep,
# dpkg-buildpackage -b), into OUTDIR.
build_debs() {
	local d=$1 out=$2 b=$PKG_CACHE/build/$id name start
	name=$(basename "$d" .dsc)
	start=$(date +%s)
	rm -rf "$b/tmp/pkgsrc" "$out"; mkdir -p "$b/tmp/pkgsrc" "$out"
	cp "$d" "${d%.dsc}.tar.xz" "$b/tmp/pkgsrc/"
	if ! in_root "$b" sh -c 'cd /tmp/pkgsrc && dpkg-source -x ./*.dsc src && cd src &&
			apt-get -q -y --no-install-recommends build-dep ./ && dpkg-buildpackage -us -uc -b' \
			> "$log/build-$name.log" 2>&1; then
		notok "building $name in $suite failed, see $log/build-$name.log"
		tail -n 15 "$log/build-$name.log" | sed 's/^/#   /'
		return 1
	fi
	find "$b/tmp/pkgsrc" -maxdepth 1 -name '*.deb' ! -name '*-dbgsym_*' -exec cp -t "$out" {} +
	rm -rf "$b/tmp/pkgsrc"
	ok "built the .debs of $name in $suite ($(cd "$out" && echo *.deb)) in $(elapsed "$start") s"
}

# The system under test: a copy of the base, then verityfs-dkms and
# verityfs-tools with apt, and what debian/tests/control adds for the
# autopkgtest that the second boot runs (man-db, keyutils).
install_package() {
	local k=$1 r=$2 start st d
	local in=()
	start=$(date +%s)
	rm -rf "$r"; mkdir -p "$r"
	cp -a "$PKG_CACHE/base/$k/." "$r/"
	for d in "$work"/debs/verityfs-tools_*.deb "$work"/debs/verityfs-dkms_*.deb; do
		cp "$d" "$r/tmp/"; in+=("/tmp/$(basename "$d")")
	done
	# As a user would: apt resolves the dependencies, the maintainer scripts
	# that dh_dkms generated run dkms add, build and install.
	if ! in_root "$r" apt-get -q -y install "${in[@]}" man-db keyutils > "$log/install.log" 2>&1; then
		notok "apt-get install verityfs-dkms verityfs-tools failed, see $log/install.log"
		sed -n 's/^/#   /p' "$log/install.log" | tail -n 20
		find "$r/var/lib/dkms/verityfs" -name make.log -exec sed 's/^/#   make.log: /' {} + 2>/dev/null | tail -n 30
		return 1
	fi
	rm -f "${in[@]/#/$r}"
	if grep -qi 'deprecated' "$log/install.log"; then
		notok "dkms warned about something deprecated: $(grep -i deprecated "$log/install.log" | head -n 2)"
	else
		ok "no deprecation warning from this suite's dkms ($(in_root "$r" dpkg-query -W -f='${Version}' dkms))"
	fi
	st=$(in_root "$r" dkms status -m verityfs 2>&1 || true)
	if echo "$st" | grep -q "$k.*installed"; then
		ok "apt installed verityfs-dkms and verityfs-tools; DKMS built and installed the module for $k in $(elapsed "$start") s"
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

# dkms.conf's BUILD_EXCLUSIVE_CONFIG: dkms must skip a kernel whose
# configuration lacks CONFIG_SYSTEM_DATA_VERIFICATION, and must not skip one
# with this kernel's configuration. The "kernel" is a directory holding only
# that .config, under a made-up release; dkms stops at the directive or, when
# it lets the build go on, at the missing kernel tree.
check_build_exclusive() {
	local k=$1 r=$2 dv out fake=6.0.0-999-pkgtest
	dv=$(in_root "$r" dpkg-query -W -f='${Version}' dkms)
	case $dv in
	2.*) ok "BUILD_EXCLUSIVE_CONFIG # SKIP dkms $dv does not know the key (it ignores it)"; return 0 ;;
	esac
	out=$(in_root "$r" sh -c '
		k=$1 f=$2 v=$3
		mkdir -p /tmp/kconf/include "/lib/modules/$f" && ln -sfn /tmp/kconf "/lib/modules/$f/build"
		grep -v "^CONFIG_SYSTEM_DATA_VERIFICATION=" "/usr/src/linux-headers-$k/.config" > /tmp/kconf/.config
		echo "== without"; dkms build -m verityfs -v "$v" -k "$f" 2>&1
		cp "/usr/src/linux-headers-$k/.config" /tmp/kconf/.config
		echo "== with"; dkms build -m verityfs -v "$v" -k "$f" 2>&1
		rm -rf "/lib/modules/$f" /tmp/kconf "/var/lib/dkms/verityfs/$v/$f"' sh "$k" "$fake" "$ver")
	echo "$out" > "$log/build-exclusive.log"
	if echo "$out" | sed -n '/^== without$/,/^== with$/p' | grep -q 'includes a BUILD_EXCLUSIVE directive'; then
		ok "dkms $dv skips a kernel without CONFIG_SYSTEM_DATA_VERIFICATION (BUILD_EXCLUSIVE_CONFIG)"
	else
		notok "dkms $dv did not skip a kernel without CONFIG_SYSTEM_DATA_VERIFICATION, see $log/build-exclusive.log"
	fi
	if echo "$out" | sed -n '/^== with$/,$p' | grep -q 'BUILD_EXCLUSIVE'; then
		notok "dkms $dv skipped a kernel with $k's configuration, see $log/build-exclusive.log"
	else
		ok "dkms $dv builds for a kernel with $k's configuration"
	fi
}

# An upgrade to the test build $upver while a verityfs module is loaded,
# played in the chroot, which runs on the host's kernel: a tmpfs over
# /sys/module holds verityfs/version and srcversion as the kernel shows them
# for the installed module once loaded, and `uname -r` says $k. First the
# installed version itself (postinst configure again): no reboot notice.
# Then apt upgrades both packages (dkms removes the old module and builds
# the new one): the postinst must write /run/reboot-required and name
# verityfs-dkms in /run/reboot-required.pkgs.
upgrade_package() {
	local k=$1 r=$2 d out
	local in=()
	for d in "$work"/updebs/verityfs-tools_*.deb "$work"/updebs/verityfs-dkms_*.deb; do
		cp "$d" "$r/tmp/"; in+=("/tmp/$(basename "$d")")
	done
	out=$(unshare -m --propagation private sh -c '
		r=$1 k=$2; shift 2
		mount -t proc proc "$r/proc" && mount -t sysfs sys "$r/sys" &&
		mount --rbind /dev "$r/dev" && mount -t tmpfs tmpfs "$r/run" &&
		mount -t tmpfs tmpfs "$r/sys/module" || exit 1
		mkdir "$r/sys/module/verityfs" "$r/run/fakebin"
		printf "#!/bin/sh\n[ \"\$*\" = -r ] && echo %s || exec /bin/uname \"\$@\"\n" "$k" > "$r/run/fakebin/uname"
		chmod 755 "$r/run/fakebin/uname"
		inr() { chroot "$r" env -i PATH=/run/fakebin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive DPKG_MAINTSCRIPT_PACKAGE=verityfs-dkms "$@"; }
		inr modinfo -k "$k" -F version verityfs > "$r/sys/module/verityfs/version"
		inr modinfo -k "$k" -F srcversion verityfs > "$r/sys/module/verityfs/srcversion"
		echo "== loaded: $(cat "$r/sys/module/verityfs/version")"
		inr /var/lib/dpkg/info/verityfs-dkms.postinst configure "$(cat "$r/sys/module/verityfs/version")" 2>&1
		echo "== same: $(cat "$r/run/reboot-required" 2>/dev/null)"
		# apt runs dpkg with a PATH of its own (DPkg::Path): name the stand-in there too.
		inr apt-get -q -y -o DPkg::Path=/run/fakebin:/usr/sbin:/usr/bin:/sbin:/bin install "$@" 2>&1
		echo "== upgraded: $(cat "$r/run/reboot-required" 2>/dev/null)"
		echo "== pkgs: $(cat "$r/run/reboot-required.pkgs" 2>/dev/null)"
		echo "== installed: $(inr modinfo -k "$k" -F version verityfs)"' sh "$r" "$k" "${in[@]}")
	rm -f "${in[@]/#/$r}"
	echo "$out" > "$log/upgrade.log"
	if echo "$out" | grep -qx '== same: '; then
		ok "postinst with the loaded module installed: no reboot notice"
	else
		notok "postinst with the loaded module installed asked for a reboot, see $log/upgrade.log"
	fi
	if echo "$out" | grep -qx "== installed: $upver"; then
		ok "apt upgraded verityfs-dkms and verityfs-tools to $upver; DKMS built the new module"
	else
		notok "the upgrade to $upver did not install its module, see $log/upgrade.log"
		return 1
	fi
	if echo "$out" | grep -qx '== upgraded: \*\*\* System restart required \*\*\*' &&
	   echo "$out" | grep -qx '== pkgs: verityfs-dkms' &&
	   echo "$out" | grep -q 'verityfs-dkms: the running verityfs module (.*) is not the one installed'; then
		ok "the upgrade under a loaded $ver asks for a reboot (/run/reboot-required, .pkgs, message)"
	else
		notok "the upgrade under a loaded module gave no reboot notice, see $log/upgrade.log"
	fi
}

# What the administrator does after installing: load at boot, trust a
# signer, fstab; plus the test unit and a fixed machine-id so that
# first-boot logic stays out.
configure_system() {
	local k=$1 r=$2 sign
	sign=$r/root/pkgtest-sign
	echo verityfs > "$r/etc/modules-load.d/verityfs.conf"
	mkdir -p "$r$MOUNT_DIR" "$r$SIGNED_DIR" "$r$SIGNED_LOWER" "$sign"
	echo 'hello from the lower directory' > "$r$MOUNT_DIR/hello.txt"
	printf '/dev/vda / ext4 rw 0 0\n%s %s verityfs defaults 0 0\n%s %s verityfs require_signatures 0 0\n' \
		"$MOUNT_DIR" "$MOUNT_DIR" "$SIGNED_LOWER" "$SIGNED_DIR" > "$r/etc/fstab"
	# A signer made for this run; its certificate as PEM in /etc/verityfs/keys.
	openssl req -newkey rsa:2048 -nodes -batch -x509 -days 2 -subj /CN=verityfs-pkgtest \
		-keyout "$sign/key.pem" -out "$sign/cert.pem" 2>/dev/null ||
		{ notok "openssl could not make the test signer"; return 1; }
	install -m 644 "$sign/cert.pem" "$r/etc/verityfs/keys/pkgtest.pem"
	install -m 755 test/pkg/guest-check.sh "$r/usr/local/sbin/verityfs-pkgtest"
	install -m 755 -D debian/tests/booted "$r/usr/local/share/verityfs-pkgtest/booted"
	install -m 644 test/pkg/verityfs-pkgtest.service test/pkg/verityfs-pkgtest.target "$r/etc/systemd/system/"
	printf 'EXPECT_KERNEL=%s\nEXPECT_VERSION=%s\nMOUNT_DIR=%s\nSIGNED_DIR=%s\nSIGNED_LOWER=%s\nSIGN_DIR=%s\nBOOTED_TEST=%s\n' \
		"$k" "$ver" "$MOUNT_DIR" "$SIGNED_DIR" "$SIGNED_LOWER" /root/pkgtest-sign \
		/usr/local/share/verityfs-pkgtest/booted > "$r/etc/verityfs-pkgtest.conf"
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

# pkg_qemu IMG V: one boot of the image, its console in V.console.log and
# its second serial port in V.verdict.txt.
pkg_qemu() {
	: > "$2.verdict.txt"; : > "$2.console.log"
	timeout "${PKG_TIMEOUT:-900}" qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2 -no-reboot \
		-display none -monitor none -nodefaults -serial "file:$2.console.log" -serial "file:$2.verdict.txt" \
		-drive "file=$1,format=raw,if=virtio" \
		-kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
		-append "root=/dev/vda rootfstype=ext4 rw console=ttyS0 panic=-1 systemd.unit=verityfs-pkgtest.target systemd.firstboot=off" \
		> "$2.qemu.log" 2>&1
}

# pkg_boot K IMG NAME: boot the image with its own kernel and initramfs; the
# guest's TAP lines and verdict land in $log/NAME.verdict.tap.
pkg_boot() {
	local k=$1 img=$2 name=$3 start rc=0 line v
	v=$log/$name
	start=$(date +%s)
	vm_lock
	pkg_qemu "$img" "$v" || rc=$?
	# Multi-threaded TCG very rarely crashes a kernel before it runs the
	# initramfs (vm-testbed pitfall 10); the disk is untouched then and the
	# crash says nothing about verityfs, so boot once more.
	if ! grep -q "Run /init as init process" "$v.console.log"; then
		note "$name: the kernel died before the initramfs (qemu rc=$rc); booting once more"
		cp "$v.console.log" "$v.console.first.log"
		rc=0; pkg_qemu "$img" "$v" || rc=$?
	fi
	tr -d '\r' < "$v.verdict.txt" > "$v.verdict.tap" || true
	if [ $rc = 124 ]; then
		notok "$name: the guest did not power off within ${PKG_TIMEOUT:-900} s (console: $v.console.log)"
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

# apt-get purge, then nothing of verityfs may be left. The test's own
# certificate goes first: dpkg rightly keeps files it did not install.
purge_package() {
	local k=$1 r=$2 left
	rm -f "$r/etc/verityfs/keys/pkgtest.pem"
	if ! in_root "$r" apt-get -q -y purge verityfs-dkms verityfs-tools > "$log/purge.log" 2>&1; then
		notok "apt-get purge verityfs-dkms verityfs-tools failed, see $log/purge.log"
		return 1
	fi
	left=$( { find "$r/lib/modules" "$r/usr/lib/modules" -name 'verityfs.ko*' 2>/dev/null
		  ls -d "$r/var/lib/dkms/verityfs" "$r"/usr/src/verityfs-* "$r/etc/verityfs" \
			"$r/usr/sbin/verityfs" "$r"/lib/modprobe.d/verityfs* "$r"/etc/systemd/system/*/verityfs* \
			"$r"/lib/systemd/system/verityfs* 2>/dev/null
		  grep -l verityfs "$r"/lib/modules/*/modules.dep "$r"/usr/lib/modules/*/modules.dep 2>/dev/null
		  in_root "$r" dpkg-query -W -f='${Package} ${Status}\n' verityfs-dkms verityfs-tools 2>/dev/null |
			grep -v not-installed
		} | sed "s|^$r||" | sort -u | tr '\n' ' ')
	if [ -z "$left" ]; then
		ok "apt-get purge removed the module, modules.dep entry, DKMS tree, /usr/src/verityfs-*, the tool and its configuration"
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
	if make_base "$suite" "$k" && make_builder && build_debs "$dsc" "$work/debs" &&
	   build_debs "$updsc" "$work/updebs" && install_package "$k" "$work/root" &&
	   configure_system "$k" "$work/root" && make_image "$k" "$work/root" "$work/disk.img" &&
	   pkg_boot "$k" "$work/disk.img" boot1 && pkg_boot "$k" "$work/disk.img" boot2; then
		check_build_exclusive "$k" "$work/root" || true
		upgrade_package "$k" "$work/root" || true
		purge_package "$k" "$work/root" || true
	fi
	rm -f "$work/disk.img"
	echo "# pkg $id ($suite, $k) took $(elapsed "$t0") s"
done
exit $fail
