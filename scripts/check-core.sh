#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make check-core`: the portable core alone, one TAP line per stage or test
# group: purity, the gnu89 -Werror compile, symbols, unit tests, the unit
# tests again under ASAN+UBSAN, and a bounded fuzz run. Every stage runs even
# after a failure; exit 1 when anything failed.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/check-core.sh    (run by mk/core.mk, which passes its variables:
#        CORE_CC CORE_GNU89 CORE_INC CORE_OUT CORE_LIB CORE_SRCS CORE_TESTS
#        CORE_CHECK_FUZZ_TIME and MAKE)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP" || exit 1

: "${CORE_CC:=gcc}" "${CORE_OUT:=$VERITYFS_TOP/build/host}" "${CORE_CHECK_FUZZ_TIME:=20}" "${MAKE:=make}"
: "${CORE_GNU89:=-std=gnu89 -Wdeclaration-after-statement -Werror -Wall -Wextra}"
: "${CORE_INC:=-I$VERITYFS_TOP/include}" "${CORE_LIB:=$CORE_OUT/libverityfs-core.a}"
[ -n "${CORE_SRCS:-}" ] || CORE_SRCS=$(ls "$VERITYFS_TOP"/src/core/*.c)
[ -n "${CORE_TESTS:-}" ] || die "check-core.sh: run it through make check-core (CORE_TESTS unset)"
core_make() { $MAKE -s --no-print-directory -f "$VERITYFS_TOP/mk/core.mk" "$@"; }

rc=0
scripts/check-core-purity.sh || rc=1

out=
for f in $CORE_SRCS; do
	# shellcheck disable=SC2086 # flag lists
	o=$($CORE_CC $CORE_GNU89 $CORE_INC -fsyntax-only "$f" 2>&1) || out="$out$o"
done
if [ -z "$out" ]; then
	echo "ok - core builds as -std=gnu89 -Wdeclaration-after-statement -Werror -Wall -Wextra"
else
	echo "not ok - core builds as gnu89 -Werror"; echo "$out" | sed 's/^/#   /'; rc=1
fi

# shellcheck disable=SC2086 # a list of targets
if ! core_make $CORE_TESTS > "$CORE_OUT.build.log" 2>&1; then
	echo "not ok - core host build (see build/host.build.log)"
	sed 's/^/#   /' "$CORE_OUT.build.log" | tail -n 20
	exit 1
fi

bad=$(nm --defined-only "$CORE_LIB" | awk '$2 ~ /^[A-TV-Z]$/ { print $3 }' | grep -v '^verityfs_core_' | sort -u)
if [ -z "$bad" ]; then
	echo "ok - every global of libverityfs-core.a starts with verityfs_core_"
else
	echo "not ok - unprefixed globals in libverityfs-core.a: $bad"; rc=1
fi

"$CORE_OUT/test_core" test/vectors || rc=1
"$CORE_OUT/test_verify" || rc=1

echo "# ASAN+UBSAN run (quick sizes)"
for t in test_core test_verify; do
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		"$CORE_OUT/san/$t" --quick test/vectors > "$CORE_OUT/san/$t.tap" 2>&1 ||
		{ rc=1; echo "not ok - $t under ASAN+UBSAN exited non-zero"; }
	sed 's/^\(\(not \)\{0,1\}ok [0-9]* - \)/\1[asan+ubsan] /' "$CORE_OUT/san/$t.tap"
done

core_make core-fuzz-run CORE_FUZZ_RUN_TIME="$CORE_CHECK_FUZZ_TIME" || rc=1
exit $rc
