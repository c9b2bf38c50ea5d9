#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every global symbol the module defines starts with verityfs_, so nm, ftrace
# and stack traces point at us and nothing collides with the kernel.
# usage: check-symbols.sh verityfs.ko
# Copyright (C) 2026 The verityfs authors
ko=$1
bad=$(nm --defined-only "$ko" | awk '$2 ~ /^[A-TV-Z]$/ { print $3 }' |
	grep -vE '^(verityfs_|__|_|init_module$|cleanup_module$)' | sort -u)
if [ -n "$bad" ]; then
	echo "not ok - every global symbol of $(basename "$ko") starts with verityfs_"
	echo "$bad" | sed 's/^/#   /'
	exit 1
fi
echo "ok - every global symbol of $(basename "$ko") starts with verityfs_"
