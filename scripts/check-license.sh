#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Every source file carries the GPL-2.0-only SPDX tag on its first line (the
# second for scripts that start with #!).
cd "$(dirname "$0")/.." || exit 1
bad=
for f in $(git ls-files -- Kbuild Makefile '*.c' '*.h' '*.sh' '*.mk' 'scripts/*' 'test/vm/init' \
		'.ci/*' dkms.conf 'debian/rules'); do
	[ -f "$f" ] || continue
	head -n 2 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0-only' || bad="$bad $f"
done
if [ -n "$bad" ]; then
	echo "not ok - SPDX GPL-2.0-only tag on every source file"
	for f in $bad; do echo "#   missing: $f"; done
	exit 1
fi
echo "ok - SPDX GPL-2.0-only tag on every source file"
