#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Install verityfs from this tree through DKMS, the way the Debian package
# does, or take it out again.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/pkg-dkms.sh install [KERNELRELEASE]   (default: the running kernel)
#        scripts/pkg-dkms.sh uninstall
#
# install copies the DKMS file list (scripts/dkms-files.sh) to
# /usr/src/verityfs-<version>, with dkms.conf's version filled in from
# VERSION, then runs dkms add, build and install. A verityfs already added
# from this tree is removed first, so the command can be repeated.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ver=$(cat VERSION)
src=/usr/src/verityfs-$ver

die() { echo "verityfs: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "dkms-install/dkms-uninstall need root"
command -v dkms >/dev/null || die "dkms is not installed: apt-get install dkms"

# dpkg owns /usr/src/verityfs-* when the package is installed.
if dpkg-query -W -f='${Status}' verityfs-dkms 2>/dev/null | grep -q 'install ok installed'; then
	die "the verityfs-dkms package is installed; use apt to install or remove verityfs"
fi

remove_all() {
	local v
	# Every version dkms knows, not only this tree's: one verityfs at a time.
	for v in $(dkms status -m verityfs 2>/dev/null | sed -n 's|^verityfs[/,] *\([^,:]*\)[,:].*|\1|p' | sort -u); do
		dkms remove -m verityfs -v "$v" --all
	done
	rm -rf /usr/src/verityfs-*/
	# depmod's output in a module directory that holds no kernel (headers
	# only, as on a build host) was made for us alone.
	for d in /lib/modules/*/; do
		[ -e "$d/kernel" ] || [ -e "$d/modules.order" ] || [ -n "$(find "$d" -name '*.ko*' -print -quit)" ] ||
			rm -f "$d"modules.*
	done
}

case ${1:-} in
install)
	kver=${2:-$(uname -r)}
	[ -e "/lib/modules/$kver/build" ] ||
		die "no headers for $kver (/lib/modules/$kver/build): apt-get install linux-headers-$kver"
	remove_all
	mkdir -p "$src"
	scripts/dkms-files.sh --no-dkms-conf | xargs cp -a --parents -t "$src"
	scripts/pkg-dkms-conf.sh > "$src/dkms.conf"
	dkms add -m verityfs -v "$ver"
	dkms build -m verityfs -v "$ver" -k "$kver" ||
		die "dkms build failed, see /var/lib/dkms/verityfs/$ver/build/make.log"
	dkms install -m verityfs -v "$ver" -k "$kver"
	echo "verityfs: installed $ver for $kver; load it with: modprobe verityfs"
	;;
uninstall)
	remove_all
	echo "verityfs: removed"
	;;
*)
	die "usage: $0 install [KERNELRELEASE] | uninstall"
	;;
esac
