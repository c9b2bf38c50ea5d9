#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print the files DKMS needs to build verityfs.ko, one path a line, relative to
# the top of the tree. This is the one list behind `make dkms-install` and the
# verityfs-dkms package; tests, packaging and host-only tooling stay out.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/dkms-files.sh [--no-dkms-conf]
#   --no-dkms-conf   leave dkms.conf out (dh_dkms installs its own copy)
set -eu
cd "$(dirname "$0")/.."

with_conf=1
[ "${1:-}" = --no-dkms-conf ] && with_conf=0

for f in Kbuild Makefile VERSION scripts/run-probes.sh; do
	[ -f "$f" ] || { echo "dkms-files.sh: $f is missing" >&2; exit 1; }
	echo "$f"
done
[ $with_conf = 0 ] || echo dkms.conf

# Sources and headers, minus what a build leaves behind (the .gitignore
# patterns), editor debris and notes (*.md), and src/selftest.c, which only
# the VM tests' VERITYFS_SELFTEST=y build compiles (Kbuild). include/ may
# not exist yet.
for d in src include; do
	[ -d "$d" ] || continue
	find "$d" -type f \
		! -path 'src/compat/generated/*' ! -path src/selftest.c \
		! -name '*.o' ! -name '*.cmd' ! -name '*.ko' ! -name '*.mod' \
		! -name '*.mod.c' ! -name '*.d' ! -name '*.a' ! -name 'modules.order' \
		! -name 'Module.symvers' ! -name '*~' ! -name '*.orig' ! -name '*.rej' \
		! -name '.*.swp' ! -name '*.md'
done | LC_ALL=C sort
