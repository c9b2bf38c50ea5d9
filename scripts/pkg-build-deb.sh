#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the verityfs source package, verityfs-dkms_<ver>_all.deb and
# verityfs-tools_<ver>_<arch>.deb in OUTDIR (default build/deb).
# dpkg-buildpackage runs in a copy of the tree, so its debian/ leftovers and
# ../ outputs never touch the clone.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/pkg-build-deb.sh [OUTDIR]
# Environment: PKG_AS_VERSION=V builds the packages as version V instead of
#              VERSION (the copy gets that VERSION and a changelog entry):
#              scripts/pkg-test.sh's upgrade. Such packages are for tests only.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$(mkdir -p "${1:-build/deb}" && cd "${1:-build/deb}" && pwd)
ver=${PKG_AS_VERSION:-$(cat VERSION)}

for t in dpkg-buildpackage dh dh_dkms fakeroot; do
	command -v $t >/dev/null ||
		{ echo "verityfs: missing $t: apt-get install debhelper dh-dkms dpkg-dev fakeroot" >&2; exit 1; }
done
scripts/check-version.sh --quick >/dev/null || { scripts/check-version.sh --quick; exit 1; }

# The copy: what git would commit (tracked plus new, unignored files) as it is
# in the working tree; without git, the DKMS file list and the packaging.
stage=$out/verityfs-$ver
rm -rf "$out"/verityfs-* "$out"/verityfs_*
mkdir -p "$stage"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z -co --exclude-standard
else
	{ scripts/dkms-files.sh; find debian scripts -type f; echo LICENSE; } | tr '\n' '\0'
fi | (while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
	xargs -0 cp -a --parents -t "$stage"

if [ -n "${PKG_AS_VERSION:-}" ]; then
	echo "$ver" > "$stage/VERSION"
	maint=$(sed -n 's/^Maintainer: //p' debian/control)
	{ printf 'verityfs (%s) unstable; urgency=medium\n\n' "$ver"
	  printf '  * Test build of %s as %s (scripts/pkg-test.sh).\n\n' "$(cat VERSION)" "$ver"
	  printf ' -- %s  %s\n\n' "$maint" "$(date -R)"
	  cat debian/changelog; } > "$stage/debian/changelog"
fi
(cd "$stage" && dpkg-buildpackage -us -uc --build=source,any,all) > "$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; echo "verityfs: dpkg-buildpackage failed, see $out/build.log" >&2; exit 1; }
rm -rf "$stage"
ls "$out"/verityfs-dkms_"$ver"_all.deb "$out"/verityfs-tools_"$ver"_*.deb
