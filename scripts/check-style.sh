#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make style`: the static gates, one TAP line each (a group of lines for
# checkpatch): file headers and header guards, kernel-version checks only in
# src/compat/, core purity, prefixed module symbols, checkpatch.pl --strict on
# src/ and include/, shellcheck on every script, codespell, and a
# description for every make target.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/check-style.sh
# Environment:
#   CHECKPATCH           a checkpatch.pl to use instead of fetching one
#                        (scripts/fetch-checkpatch.sh, CHECKPATCH_SOURCE)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP" || exit 1

fail=0

scripts/check-license.sh || fail=1
scripts/check-compat-isolation.sh || fail=1
scripts/check-core-purity.sh || fail=1
kos=$(ls build/matrix/6.1/verityfs.ko build/matrix/*/verityfs.ko 2>/dev/null | head -n1)
if [ -n "$kos" ]; then
	scripts/check-symbols.sh "$kos" || fail=1
else
	echo "ok - every global symbol of verityfs.ko starts with verityfs_ # SKIP no module built yet (make matrix-build)"
fi

# --- checkpatch --strict on the module's C files -------------------------
# For an out-of-tree module: --no-tree (no kernel tree around), --file (whole
# files, not patches). What is ignored, where, and why (CHECKPATCH_IGNORE):
#   src/compat/*: LINUX_VERSION_CODE, CONSTANT_COMPARISON: the one place
#                 version checks may live, where no probe can see the change
#                 (DESIGN.md 2.6), and they compare two version macros;
#                 NEW_TYPEDEFS: one name for a struct the kernel renamed
#                 (fileattr/file_kattr); COMPLEX_MACRO: the idmap macros
#                 expand to a parameter declaration, which cannot be
#                 parenthesised; DEPRECATED_API: the 5.10 polyfill of
#                 kmap_local_page() is built from kmap()
#   include/verityfs/core_env.h: PREFER_KERNEL_TYPES, NEW_TYPEDEFS, CAMELCASE:
#                 it defines u8..u64 and bool (_Bool) for the host build from
#                 <stdint.h>, the one place those types are named
#   src/msg.c, src/verityfs.h: PRINTK_WITHOUT_KERN_LEVEL,
#                 UNNECESSARY_KERN_LEVEL: the level is an argument of
#                 verityfs_msg(), printed first by "%s", as fs/verity's and
#                 ext4's message helpers do
#   src/sysfs.c:  MACRO_ARG_REUSE: the counter macros paste their argument
#                 into names, which has no side effects; CONST_STRUCT: the
#                 5.10 kobject_init_and_add() takes a non-const kobj_type
#   src/file.c:   CONST_STRUCT: the file operations without remap are a
#                 copy of the const ones made at module init (__ro_after_init)
# shellcheck disable=SC2054 # the values are checkpatch's comma-separated lists
declare -A CHECKPATCH_IGNORE=(
	[src/compat/*]=LINUX_VERSION_CODE,CONSTANT_COMPARISON,NEW_TYPEDEFS,COMPLEX_MACRO,DEPRECATED_API
	[include/verityfs/core_env.h]=PREFER_KERNEL_TYPES,NEW_TYPEDEFS,CAMELCASE
	[src/msg.c]=PRINTK_WITHOUT_KERN_LEVEL
	[src/verityfs.h]=UNNECESSARY_KERN_LEVEL
	[src/sysfs.c]=MACRO_ARG_REUSE,CONST_STRUCT
	[src/file.c]=CONST_STRUCT
)
# checkpatch_ignores FILE: the ignore list of FILE's entry, or nothing
checkpatch_ignores() {
	local pat
	for pat in "${!CHECKPATCH_IGNORE[@]}"; do
		# shellcheck disable=SC2053 # the key is a glob
		[[ $1 == $pat ]] && { echo "${CHECKPATCH_IGNORE[$pat]}"; return; }
	done
}
CHECKPATCH_OPTS=(--no-tree --strict --terse --show-types --file --no-summary --max-line-length=100)
if cp=$(scripts/fetch-checkpatch.sh 2>/tmp/verityfs-checkpatch.$$); then
	echo "# checkpatch group: $cp --strict on src/ and include/"
	files=$(git ls-files 'src/*.[ch]' 'include/*.[ch]')
	# One perl run per distinct ignore list, not one per file.
	all=$(for f in $files; do ign=$(checkpatch_ignores "$f"); echo "${ign:--} $f"; done | sort |
		awk '{ l[$1] = l[$1] " " $2 } END { for (k in l) print k l[k] }' |
		while read -r ign group; do
			[ "$ign" = - ] && ign=
			# shellcheck disable=SC2086 # a list of file names
			perl "$cp" "${CHECKPATCH_OPTS[@]}" ${ign:+--ignore=$ign} $group
		done 2>&1)
	n=$(grep -c . <<<"$files") bad=0
	for f in $files; do
		out=$(grep "^$f:" <<<"$all")
		[ -n "$out" ] || continue
		bad=$((bad + 1))
		echo "not ok - checkpatch: $f: $(grep -c . <<<"$out") finding(s)"
		sed 's/^/#   /' <<<"$out"
		fail=1
	done
	# Anything checkpatch printed that names no file (a perl error) fails.
	other=$(grep -v '^\(src\|include\)/' <<<"$all" | sed '/^$/d')
	[ -z "$other" ] || { echo "not ok - checkpatch ran: $(head -n 3 <<<"$other" | tr '\n' ' ')"; fail=1; }
	echo "ok - checkpatch: $((n - bad)) of $n files of src/ and include/ clean"
else
	echo "not ok - checkpatch: no checkpatch.pl: $(tail -n 1 /tmp/verityfs-checkpatch.$$)"
	# The fallback the kernel offers without checkpatch: sparse through C=1.
	if command -v sparse >/dev/null; then
		echo "# checkpatch missing; run 'make C=1 KDIR=...' (sparse) by hand meanwhile"
	fi
	fail=1
fi
rm -f /tmp/verityfs-checkpatch.$$

# --- shellcheck on every script -------------------------------------------
# Every tracked shell file: #! scripts as their interpreter says, the rest
# (guest cases and parity files, which init sources) as sh. Errors and
# warnings fail; style notes are counted. Settings: .shellcheckrc files.
if command -v shellcheck >/dev/null; then
	scripts=$(git ls-files | grep -vE '^(src|include)/' |
		grep -E '\.sh$|^scripts/[^.]*$|^test/vm/init$|^\.ci/run$|^debian/.*\.(postinst|prerm)$')
	withsh=() plain=()
	for f in $scripts; do
		[ -f "$f" ] || continue
		if head -c 2 "$f" | grep -q '#!' || grep -q '^# shellcheck shell=' "$f"; then
			withsh+=("$f")
		else
			plain+=("$f")
		fi
	done
	all=$( { [ ${#withsh[@]} -eq 0 ] || shellcheck -x -f gcc "${withsh[@]}"
		 [ ${#plain[@]} -eq 0 ] || shellcheck -x --shell=sh -f gcc "${plain[@]}"; } 2>&1)
	out=$(grep -v ': \(note\|style\): ' <<<"$all" | sed '/^$/d')
	notes=$(grep -c ': \(note\|style\): ' <<<"$all")
	count=$(grep -c . <<<"$scripts")
	if [ -z "$out" ]; then
		echo "ok - shellcheck: no error or warning in $count scripts ($notes style notes: shellcheck -x FILE)"
	else
		echo "not ok - shellcheck: errors or warnings in the scripts"
		printf '%s' "$out" | sed '/^$/d; s/^/#   /'
		fail=1
	fi
else
	echo "not ok - shellcheck is not installed (apt-get install shellcheck; make deps)"
	fail=1
fi

# --- codespell ------------------------------------------------------------
# Words that are right here: kernel identifiers (filp, iput, uptodate) and
# keyctl's padd command.
CODESPELL_IGNORE=filp,iput,uptodate,padd
if command -v codespell >/dev/null; then
	texts=$(git ls-files | grep -vE '^(src|include)/|^test/vectors/|^LICENSE$|\.(der|pem|sig|bin)$')
	# shellcheck disable=SC2086 # a file list
	out=$(codespell -L "$CODESPELL_IGNORE" $texts 2>&1)
	if [ -z "$out" ]; then echo "ok - codespell: no misspelling outside the module's sources"
	else echo "not ok - codespell: misspellings"; sed 's/^/#   /' <<<"$out"; fail=1; fi
	# shellcheck disable=SC2046 # a file list
	out=$(codespell -L "$CODESPELL_IGNORE" $(git ls-files src include) 2>&1)
	if [ -z "$out" ]; then echo "ok - codespell: no misspelling in src/ and include/"
	else echo "not ok - codespell: misspellings in src/ and include/"; sed 's/^/#   /' <<<"$out"
		fail=1; fi
else
	echo "not ok - codespell is not installed (apt-get install codespell; make deps)"
	fail=1
fi

# --- make help --------------------------------------------------------------
# Every target a reader can name has its "## description" on its rule line.
missing=$(make -pRrq -f Makefile : 2>/dev/null | sed -n 's/^\.PHONY: //p' | tr ' ' '\n' |
	sed '/^$/d' | sort -u | while read -r t; do
		grep -qE "^$t:.*## " Makefile mk/*.mk || echo "$t"
	done | tr '\n' ' ')
if [ -z "$missing" ]; then echo "ok - make help: every .PHONY target has a ## description"
else echo "not ok - make help: no ## description for: $missing"; fail=1; fi
exit $fail
