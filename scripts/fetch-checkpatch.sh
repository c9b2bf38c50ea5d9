#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Get the kernel's checkpatch.pl (with spelling.txt and const_structs.checkpatch
# beside it) and print its path. Debian's linux-headers packages do not carry
# it, its linux-source packages do: the deb comes through the private apt
# state, only those three files are unpacked, into the cache, once per version.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/fetch-checkpatch.sh      (prints .../scripts/checkpatch.pl)
# Environment: CHECKPATCH_SOURCE  the linux-source package (default
#              linux-source-6.12, Debian 13's kernel: a stable checkpatch, not
#              one that moves with sid), CHECKPATCH=/path/checkpatch.pl skips all this.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ -n "${CHECKPATCH:-}" ]; then
	[ -x "$CHECKPATCH" ] || [ -f "$CHECKPATCH" ] || die "CHECKPATCH=$CHECKPATCH does not exist"
	echo "$CHECKPATCH"; exit 0
fi
src=${CHECKPATCH_SOURCE:-linux-source-6.12}
# The newest cached unpack of that package, when the apt state cannot be asked.
cached() { find "$VERITYFS_CACHE/tools" -maxdepth 3 -path "*/checkpatch-${src#linux-source-}_*/scripts/checkpatch.pl" 2>/dev/null | sort -V | tail -n1; }

if [ "$(id -u)" != 0 ]; then
	c=$(cached); [ -n "$c" ] || die "checkpatch.pl is not in the cache yet: run this once as root"
	echo "$c"; exit 0
fi
# One fetch at a time (make check starts one early, in the background).
mkdir -p "$VERITYFS_CACHE/tools"
exec 8>>"$VERITYFS_CACHE/tools/.checkpatch.lock"
flock 8
apt_private_init
ver=$(apt-cache "${APT_OPTS[@]}" policy "$src" 2>/dev/null | sed -n 's/^ *Candidate: //p')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	c=$(cached); [ -n "$c" ] || die "$src is not in the archive and no checkpatch.pl is cached"
	echo "$c"; exit 0
fi
dir=$VERITYFS_CACHE/tools/checkpatch-${src#linux-source-}_$ver
if [ ! -f "$dir/scripts/checkpatch.pl" ]; then
	note "unpacking checkpatch.pl from $src $ver (once)"
	apt_fetch "$src=$ver" || die "cannot download $src $ver"
	deb=$(deb_path "$src")
	rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
	# The deb holds one tarball of the tree; only three files of it are kept.
	tarball=$(dpkg-deb -c "$deb" | awk '$NF ~ /linux-source-.*\.tar\.(xz|bz2|gz)$/ { print $NF }')
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$tarball" | tar -xJf - -C "$dir.tmp" --wildcards \
		--strip-components=1 '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch'
	[ -f "$dir.tmp/scripts/checkpatch.pl" ] || die "no scripts/checkpatch.pl in $deb"
	rm -rf "$dir"; mv "$dir.tmp" "$dir"
	rm -f "$deb"	# 150 MB for three files: the unpacked copy is what is kept
fi
echo "$dir/scripts/checkpatch.pl"
