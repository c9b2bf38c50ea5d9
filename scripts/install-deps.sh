#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Install the host packages the build, the tests and the VM test bed need.
# As root it installs what is missing through apt; otherwise it names it.
# Copyright (C) 2026 The verityfs authors
set -eu
cd "$(dirname "$0")/.."
pkgs=$(make -s --no-print-directory apt-packages)
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "verityfs: missing host packages:$missing" >&2
	echo "verityfs: install them as root: apt-get install$missing" >&2
	exit 1
fi
echo "verityfs: installing$missing" >&2
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
