#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build verityfs.ko against every pinned Debian kernel, each with the compiler
# its headers were made with, and fail on any warning (W=1 on our own files).
#
# usage: scripts/matrix-build.sh [ID...]      (default: all of test/vm/kernels.list)
# Output: build/matrix/<id>/verityfs.ko, build/matrix/<id>/build.log and one
# TAP line per kernel on stdout. With VERITYFS_SELFTEST=y it builds the VM
# tests' self-testing variant instead, into build/matrix/<id>-selftest/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ids=("$@"); [ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(kernel_ids)
"$VERITYFS_TOP/scripts/fetch-kernels.sh" "${ids[@]}" >&2

# The module's own sources only, as DKMS would see them.
module_files() {
	local f
	for f in Kbuild Makefile VERSION src include scripts/run-probes.sh; do
		[ ! -e "$VERITYFS_TOP/$f" ] || echo "$f"
	done
}

fail=0
for id in "${ids[@]}"; do
	b=$VERITYFS_TOP/build/matrix/$id${VERITYFS_SELFTEST:+-selftest}
	# A fresh copy per kernel: the probe results and objects of one kernel
	# must never leak into the build of another.
	rm -rf "$b"; mkdir -p "$b"
	(cd "$VERITYFS_TOP" && module_files | xargs cp -a --parents -t "$b")
	rm -rf "$b/src/compat/generated"
	set +e
	(cd "$b" && in_toolchain "$id" make -s KDIR="$(kernel_kdir "$id")" W=1 MAKE="make -s" \
		VERITYFS_SELFTEST="${VERITYFS_SELFTEST:-}") > "$b/build.log" 2>&1
	rc=$?
	set -e
	# Kbuild's own chatter is not a warning; anything from the compiler is.
	warn=$(grep -E 'warning:|error:|Error ' "$b/build.log" || true)
	if [ $rc -eq 0 ] && [ -z "$warn" ] && [ -f "$b/verityfs.ko" ]; then
		echo "ok - build $id${VERITYFS_SELFTEST:+ selftest} ($(kernel_field "$id" 3), $(kernel_field "$id" 5)) warning-free"
	else
		echo "not ok - build $id${VERITYFS_SELFTEST:+ selftest} ($(kernel_field "$id" 3)): rc=$rc, see $b/build.log"
		sed 's/^/#   /' "$b/build.log" | tail -n 30
		fail=1
	fi
done
exit $fail
