#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every source file opens with the same header: the GPL-2.0-only SPDX tag on
# its first line (the second for scripts that start with #!), a purpose line,
# and "Copyright (C) 2026 The verityfs authors". Every header under src/ and
# include/ is guarded by _VX_<PATH>_H, PATH being its path below src/ or
# include/ in upper case (src/compat/vfs.h: _VX_COMPAT_VFS_H).
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/check-license.sh    (TAP; exit 1 on a failure)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

COPYRIGHT='Copyright (C) 2026 The verityfs authors'
files=$(git ls-files -- Kbuild Makefile '*.c' '*.h' '*.sh' '*.mk' '*.inc' 'scripts/*' \
	'test/vm/init' 'test/vm/kernels.list' '.ci/*' dkms.conf 'debian/rules' | sort -u)

# header_problems FILE: what FILE's header lacks, one word each.
header_problems() {
	local f=$1 text
	# The header: the leading comment lines (a C file's first comment block).
	text=$(awk 'NR > 100 { exit }
		/^[[:space:]]*(#|\/\/|\/\*|\*)/ || /^[[:space:]]*$/ { print; next } { exit }' "$f")
	head -n 2 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-only' || echo spdx
	grep -qF "$COPYRIGHT" <<<"$text" || echo copyright
	# The first comment text after the SPDX line, markers stripped, is the purpose.
	awk '/SPDX-License-Identifier/ { on = 1; next }
		on { sub(/^[[:space:]]*(\/\/|\/\*+|\*\/|\*|#)[[:space:]]*/, ""); sub(/[[:space:]]*\*\/[[:space:]]*$/, "") }
		on && /[[:alpha:]]/ { found = 1; exit ($0 ~ /^Copyright/ ? 1 : 0) }
		END { if (!found) exit 1 }' <<<"$text" || echo purpose
}

# guard_of FILE: the guard FILE should use.
guard_of() {
	local p=${1#src/}
	p=${p#include/}
	echo "_VX_$(echo "${p%.h}" | tr '[:lower:]' '[:upper:]' | tr -c 'A-Z0-9\n' '_')_H"
}

out_bad='' src_bad='' guard_bad=''
for f in $files; do
	[ -f "$f" ] || continue
	probs=$(header_problems "$f" | tr '\n' ' ')
	if [ -n "$probs" ]; then
		case $f in
		src/*|include/*|Kbuild|dkms.conf|debian/*) src_bad="$src_bad$f: no ${probs% }
" ;;
		*) out_bad="$out_bad$f: no ${probs% }
" ;;
		esac
	fi
	case $f in
	src/compat/generated/*) ;;
	src/*.h|include/*.h)
		g=$(guard_of "$f")
		line=$(grep -n -m1 '^#ifndef[[:space:]]' "$f" | cut -d: -f1)
		have=$(grep -m1 '^#ifndef[[:space:]]' "$f" | awk '{ print $2 }')
		if [ "$have" != "$g" ] || ! grep -qE "^#define[[:space:]]+$g([[:space:]]|\$)" "$f"; then
			guard_bad="$guard_bad$f:${line:-1}: guard ${have:-none}, want $g
"
		fi ;;
	esac
done

fail=0
report() { # GOOD-TEXT FINDINGS
	if [ -z "$2" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		printf '%s' "$2" | sed 's/^/#   /'
		fail=1
	fi
}
report "SPDX tag, purpose line and copyright on every source file but the module's and the packaging's" "$out_bad"
report "SPDX tag, purpose line and copyright in src/, include/, Kbuild, dkms.conf, debian/" "$src_bad"
report "header guards _VX_<PATH>_H in src/ and include/" "$guard_bad"
exit $fail
