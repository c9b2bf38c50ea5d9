#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# VERSION is the only place the version is written down. Check that every
# consumer agrees with it: debian/changelog, the dkms.conf that dkms-install
# and dh_dkms produce, MODULE_VERSION in the module, and, when they exist,
# built modules and the built .deb. Also check that dkms.conf's kernel floor
# admits every pinned kernel and nothing older than 5.10. TAP on stdout.
#
# usage: scripts/check-version.sh [--quick] [MODULE.ko...]
#   --quick   only VERSION, changelog and dkms.conf (used by debian/rules)
# Copyright (C) 2026 The verityfs authors
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP" || exit 1

quick=0
[ "${1:-}" = --quick ] && { quick=1; shift; }
fail=0
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; fail=1; }

ver=$(cat VERSION)
# A DKMS version and a Debian native version at once: no hyphen, no epoch.
if [ "$(wc -l < VERSION)" = 1 ] && [[ $ver =~ ^[0-9]+(\.[0-9]+)*([~+][A-Za-z0-9.~+]+)?$ ]]; then
	ok "VERSION is a plain upstream version ($ver)"
else
	bad "VERSION must be one line like 1.2.3 (got '$ver')"
fi

# The top entry of debian/changelog, without epoch and Debian revision.
if command -v dpkg-parsechangelog >/dev/null; then
	deb=$(dpkg-parsechangelog -l debian/changelog -S Version)
else
	deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' debian/changelog)
fi
up=${deb#*:}; up=${up%-*}
if [ "$up" = "$ver" ]; then
	ok "debian/changelog version ($deb) matches VERSION"
else
	bad "debian/changelog says $deb, VERSION says $ver: add a changelog entry (dch -v $ver)"
fi

if grep -qx 'PACKAGE_VERSION="#MODULE_VERSION#"' dkms.conf; then
	ok "dkms.conf takes its version from the #MODULE_VERSION# placeholder"
else
	bad "dkms.conf must say PACKAGE_VERSION=\"#MODULE_VERSION#\", not a literal version"
fi
got=$(scripts/pkg-dkms-conf.sh | sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p')
if [ "$got" = "$ver" ]; then
	ok "dkms.conf for dkms-install says PACKAGE_VERSION=$got"
else
	bad "dkms.conf for dkms-install says PACKAGE_VERSION='$got', VERSION says $ver"
fi
[ $quick = 1 ] && exit $fail

if grep -q 'VERITYFS_VERSION := $(shell cat $(src)/VERSION)' Kbuild &&
   grep -q -- "-DVERITYFS_VERSION='\"\$(VERITYFS_VERSION)\"'" Kbuild &&
   grep -q 'MODULE_VERSION(VERITYFS_VERSION)' src/main.c; then
	ok "MODULE_VERSION comes from VERSION (Kbuild -DVERITYFS_VERSION, src/main.c)"
else
	bad "Kbuild no longer passes VERSION to MODULE_VERSION(VERITYFS_VERSION) in src/main.c"
fi

# dkms.conf's BUILD_EXCLUSIVE_KERNEL, evaluated as dkms does (bash =~), for
# the pinned ABIs, those tested last and a few made up.
re=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
wrong=
kernels=$(for id in $(kernel_ids); do kernel_field "$id" pinned; cat "$VERITYFS_CACHE/resolved/$id" 2>/dev/null; done)
for k in $kernels 5.10.0 5.15.0-1-amd64 6.0.0 7.0.0 10.1.0; do
	[[ $k =~ $re ]] || wrong="$wrong $k(refused)"
done
for k in 5.9.16 5.4.0-42-generic 4.19.0-27-amd64 3.16.0 5.1.0; do
	[[ $k =~ $re ]] && wrong="$wrong $k(admitted)"
done
if [ -n "$re" ] && [ -z "$wrong" ]; then
	ok "dkms.conf admits the pinned kernels and nothing before 5.10"
else
	bad "dkms.conf BUILD_EXCLUSIVE_KERNEL '$re' is wrong for:$wrong"
fi

# Built artifacts, when there are any.
kos=("$@")
[ ${#kos[@]} -gt 0 ] || mapfile -t kos < <(ls build/matrix/*/verityfs.ko verityfs.ko 2>/dev/null)
for ko in "${kos[@]}"; do
	[ -f "$ko" ] || continue
	mv=$(modinfo -F version "$ko" 2>/dev/null)
	if [ "$mv" = "$ver" ]; then ok "$ko: modinfo version $mv"; else bad "$ko: modinfo version '$mv', VERSION $ver"; fi
done
for d in build/deb/verityfs-dkms_*.deb; do
	[ -f "$d" ] || continue
	dv=$(dpkg-deb -f "$d" Version)
	cv=$(dpkg-deb --fsys-tarfile "$d" | tar -xOf - "./usr/src/verityfs-$ver/dkms.conf" 2>/dev/null |
		sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p')
	if [ "${dv%-*}" = "$ver" ] && [ "$cv" = "$ver" ]; then
		ok "$d: package $dv, usr/src/verityfs-$ver/dkms.conf says $cv"
	else
		bad "$d: package '$dv', dkms.conf '$cv' in usr/src/verityfs-$ver, VERSION $ver (stale? make deb)"
	fi
done
exit $fail
