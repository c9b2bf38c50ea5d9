#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Kernel version checks belong in src/compat/ only: everywhere else the code
# asks a feature probe (HAVE_*), because Debian kernels carry backports.
# Copyright (C) 2026 The verityfs authors
cd "$(dirname "$0")/.." || exit 1
bad=$(grep -rsnE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|RHEL_MAJOR|DEBIAN_API' src include \
	--include='*.[ch]' | grep -v '^src/compat/')
if [ -n "$bad" ]; then
	echo "not ok - kernel version checks only under src/compat/"
	echo "$bad" | sed 's/^/#   /'
	exit 1
fi
echo "ok - kernel version checks only under src/compat/"
