#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build verityfs.ko against Debian kernels, each with the compiler its
# headers were made with, and fail on any warning (W=1 on our own files).
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/matrix-build.sh [ID | ID=RELEASE]...  (default: all of test/vm/kernels.list)
# Output: build/matrix/<id>/verityfs.ko, build/matrix/<id>/build.log and one
# TAP line per kernel, naming the ABI built against, on stdout. With
# VERITYFS_SELFTEST=y it builds the VM tests' self-testing variant instead,
# into build/matrix/<id>-selftest/. ID=RELEASE builds against that ABI of the
# id's series (make check-headers) into build/headers/<release>/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

items=("$@"); [ ${#items[@]} -gt 0 ] || mapfile -t items < <(kernel_ids)
# Headers and kbuild suffice here; a VM stage fetches the rest when it needs it.
"$VERITYFS_TOP/scripts/fetch-kernels.sh" --headers "${items[@]}" >&2 || true

# The module's own sources only, as DKMS would see them.
module_files() {
	local f
	for f in Kbuild Makefile VERSION src include scripts/run-probes.sh; do
		[ ! -e "$VERITYFS_TOP/$f" ] || echo "$f"
	done
}

fail=0
for it in "${items[@]}"; do
	id=$(kernel_field "${it%%=*}" id)
	if [[ $it == *=* ]]; then
		rel=${it#*=}
		b=$VERITYFS_TOP/build/headers/$rel${VERITYFS_SELFTEST:+-selftest}
	else
		rel=$(kernel_release "$id" 2>/dev/null) || rel=
		b=$VERITYFS_TOP/build/matrix/$id${VERITYFS_SELFTEST:+-selftest}
	fi
	label="build $id${VERITYFS_SELFTEST:+ selftest}"
	# A fresh copy per kernel: the probe results and objects of one kernel
	# must never leak into the build of another.
	rm -rf "$b"; mkdir -p "$b"
	if [ -z "$rel" ] || [ ! -f "$(abi_root "$rel")/.ready" ]; then
		echo "not ok - $label: no kernel headers could be fetched (see the messages above)"
		fail=1
		continue
	fi
	(cd "$VERITYFS_TOP" && module_files | xargs cp -a --parents -t "$b")
	rm -rf "$b/src/compat/generated"
	set +e
	(cd "$b" && in_toolchain "$id" make -s -j"$(nproc)" KDIR="$(abi_kdir "$rel")" W=1 MAKE="make -s" \
		VERITYFS_SELFTEST="${VERITYFS_SELFTEST:-}") > "$b/build.log" 2>&1
	rc=$?
	set -e
	# Kbuild's own chatter is not a warning; anything from the compiler is.
	warn=$(grep -E 'warning:|error:|Error ' "$b/build.log" || true)
	if [ $rc -eq 0 ] && [ -z "$warn" ] && [ -f "$b/verityfs.ko" ]; then
		echo "ok - $label ($rel, $(kernel_field "$id" toolchain)) warning-free"
	else
		echo "not ok - $label ($rel): rc=$rc, see $b/build.log"
		sed 's/^/#   /' "$b/build.log" | tail -n 30
		fail=1
	fi
done
exit $fail
