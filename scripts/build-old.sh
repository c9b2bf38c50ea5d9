#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Build the module of an earlier release (0.1.0) for a kernel of the matrix,
# for the compat-* guest cases: files it made must keep working.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/build-old.sh ID...
#   The release is the git ref VERITYFS_OLD_REF (default 0.1.0, the tag; a
#   clone without tags falls back to the tagged commit itself). Its
#   module sources (git archive, as DKMS would see them) are built like
#   matrix-build.sh builds ours: the same headers, toolchain and W=1, no
#   warning allowed. Built once per kernel release and ref commit, in
#   build/old/cache/<commit>-<release>/; the module for ID is then copied
#   (mtime kept) to build/old/<ID>/verityfs.ko. When there is no such module,
#   build/old/<ID>/missing says why, its first word "skip:" (no such ref in
#   this clone: the cases skip) or "fail:" (it did not build: the cases fail),
#   and mkinitramfs.sh passes it on to the guest. One TAP line per ID.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ref=${VERITYFS_OLD_REF:-0.1.0}
# The commit tagged 0.1.0: the state handed over as 0.1.0.
V010_COMMIT=07de19bdeb33da52dc586449bad9465b68e5db9d
fail=0

# put_missing WHY: no module for $out, and why (kept as it is when unchanged).
put_missing() {
	rm -f "$out/verityfs.ko"
	[ "$(cat "$out/missing" 2>/dev/null)" = "$1" ] || echo "$1" > "$out/missing"
}
for it in "$@"; do
	id=$(kernel_field "$it" id)
	out=$VERITYFS_TOP/build/old/$id
	mkdir -p "$out"
	label="build $ref $id"
	if ! c=$(git -C "$VERITYFS_TOP" rev-parse -q --verify "$ref^{commit}" 2>/dev/null); then
		if [ "$ref" = 0.1.0 ] &&
		   git -C "$VERITYFS_TOP" cat-file -e "$V010_COMMIT^{commit}" 2>/dev/null; then
			c=$V010_COMMIT
		else
			put_missing "skip: no git ref '$ref' (nor its commit) in the clone at build time (VERITYFS_OLD_REF)"
			echo "ok - $label # SKIP no git ref '$ref' in this clone: the compat cases will skip"
			continue
		fi
	fi
	rel=$(kernel_release "$id" 2>/dev/null) || rel=
	if [ -z "$rel" ] || [ ! -f "$(abi_root "$rel")/.ready" ]; then
		put_missing "fail: no kernel headers for $id"
		echo "not ok - $label: no kernel headers could be fetched"
		fail=1
		continue
	fi
	b=$VERITYFS_TOP/build/old/cache/${c:0:12}-$rel
	how=cached
	if [ ! -f "$b/verityfs.ko" ]; then
		how=built
		rm -rf "$b"; mkdir -p "$b"
		# The module's files of that tree, those it has of the list matrix-build.sh copies.
		mapfile -t files < <(git -C "$VERITYFS_TOP" ls-tree --name-only "$c" \
			Kbuild Makefile VERSION src include scripts/run-probes.sh)
		git -C "$VERITYFS_TOP" archive --format=tar "$c" "${files[@]}" | tar -x -C "$b"
		set +e
		(cd "$b" && in_toolchain "$id" make -s -j"$(nproc)" KDIR="$(abi_kdir "$rel")" W=1 \
			MAKE="make -s") > "$b/build.log" 2>&1
		rc=$?
		set -e
		warn=$(grep -E 'warning:|error:|Error ' "$b/build.log" || true)
		if [ $rc -ne 0 ] || [ -n "$warn" ] || [ ! -f "$b/verityfs.ko" ]; then
			rm -f "$b/verityfs.ko"
			put_missing "fail: $ref (${c:0:12}) did not build warning-free for $rel: $b/build.log"
			echo "not ok - $label ($rel): rc=$rc, see $b/build.log"
			sed 's/^/#   /' "$b/build.log" | tail -n 30
			fail=1
			continue
		fi
	fi
	# Unchanged files keep their mtime: vm_prepare reuses an initramfs newer than them.
	rm -f "$out/missing"
	cmp -s "$b/verityfs.ko" "$out/verityfs.ko" || cp -p "$b/verityfs.ko" "$out/verityfs.ko"
	echo "ok - $label (${c:0:12}, $rel, $(kernel_field "$id" toolchain)) warning-free, $how"
done
exit $fail
