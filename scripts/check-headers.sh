#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make check-headers`: build verityfs (W=1, no warning allowed, no boot)
# against every linux-headers ABI of the matrix's series that Debian's
# archive still has, not only the newest: a user may run any of them.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/check-headers.sh [ID...]     (default: every kernel of kernels.list)
# One TAP line per ABI (matrix-build.sh's, naming the ABI). Headers of ABIs
# that no other target tests are unpacked for the build and removed after
# it; their debs stay in the cache while the archive has them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "check-headers.sh needs root (private apt state, chroots)"
ids=("$@"); [ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(kernel_ids)
apt_private_init
items=()
for id in "${ids[@]}"; do
	id=$(kernel_field "$id" id)
	while read -r rel _; do
		[ -n "$rel" ] && items+=("$id=$rel")
	done < <(kernel_abis "$id")
done
[ ${#items[@]} -gt 0 ] || die "no ABI of ${ids[*]} in the private apt indexes"
echo "# check-headers: ${#items[@]} ABIs: ${items[*]}"

# Other runs' fetches prune the ABIs they do not test; not while this holds
# the lock (fetch-kernels.sh).
mkdir -p "$VERITYFS_CACHE"
exec 8> "$VERITYFS_CACHE/check-headers.lock"
flock 8
# One fetch for all of them: downloads in one go, unpacking in parallel.
"$VERITYFS_TOP/scripts/fetch-kernels.sh" --headers "${items[@]}" >&2
fail=0
"$VERITYFS_TOP/scripts/matrix-build.sh" "${items[@]}" || fail=1

# What no other target uses goes again (h/ holds headers-only unpacks).
for it in "${items[@]}"; do
	rel=${it#*=}
	[ "$(cat "$VERITYFS_CACHE/resolved/${it%%=*}" 2>/dev/null)" = "$rel" ] && continue
	[ "$(kernel_field "${it%%=*}" pinned)" = "$rel" ] && continue
	rm -rf "$VERITYFS_CACHE/h/$rel"
done
exit $fail
