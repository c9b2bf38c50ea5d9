#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# test/vm/kernels.list for make and people: the kernel ids, their columns and
# the Debian ABIs of each series. The parsing itself is lib.sh's.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/kernels.sh ids [ID...]     the ids (all, or the given ones, checked and
#                                           made canonical: 7.2 -> 7.x)
#        scripts/kernels.sh field ID NAME   one column: id suite series pinned toolchain
#        scripts/kernels.sh abis ID         every ABI of ID's series in Debian's archive,
#                                           newest first: RELEASE VERSION KBUILD
#        scripts/kernels.sh show            a table: pinned, newest in the archive, tested
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case ${1:-} in
ids)
	shift
	if [ $# -eq 0 ]; then kernel_ids; else for i in "$@"; do kernel_field "$i" id; done; fi ;;
field)
	kernel_field "$2" "$3" ;;
abis)
	[ -d "$APT_STATE/lists" ] || die "no apt indexes yet: run scripts/fetch-kernels.sh (as root)"
	kernel_abis "$2" ;;
show)
	printf '%-6s %-9s %-22s %-22s %-22s %s\n' id suite pinned "newest in archive" tested "ABIs in archive"
	for id in $(kernel_ids); do
		abis=
		[ ! -d "$APT_STATE/lists" ] || abis=$(kernel_abis "$id" | cut -d' ' -f1)
		tested=$(cat "$VERITYFS_CACHE/resolved/$id" 2>/dev/null || echo -)
		printf '%-6s %-9s %-22s %-22s %-22s %s\n' "$id" "$(kernel_field "$id" suite)" \
			"$(kernel_field "$id" pinned)" "$(head -n1 <<<"${abis:--}")" "$tested" "$(grep -c . <<<"$abis")"
	done ;;
*)
	die "usage: kernels.sh ids [ID...] | field ID NAME | abis ID | show" ;;
esac
