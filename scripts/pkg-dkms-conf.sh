#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Print dkms.conf with its #MODULE_VERSION# placeholder replaced by VERSION:
# what `make dkms-install` puts into /usr/src/verityfs-<version>/. The Debian
# package gets the same substitution from `dh_dkms -V`.
# Copyright (C) 2026 The verityfs authors
set -eu
cd "$(dirname "$0")/.."
ver=$(cat VERSION)
sed "s/#MODULE_VERSION#/$ver/g" dkms.conf
