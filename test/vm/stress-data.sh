#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The stress and crash tests' oracle: every template's digest by the stock
# `fsverity digest`, over the bytes vx-stress generates for it.
# Copyright (C) 2026 The verityfs authors
#
# usage: test/vm/stress-data.sh OUTDIR
#   OUTDIR/stress.tab   "T SIZE ALG BS SALT SEED DIGEST" per template
#                       (SALT in hex, "-" for none)
set -euo pipefail
out=$1
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gcc -O2 -Wall -Werror -o "$tmp/vx-stress" "$top/test/vm/tools/vx-stress.c"
"$tmp/vx-stress" templates | while read -r t size alg bs salt seed; do
	"$tmp/vx-stress" gen "$size" "$seed" > "$tmp/f"
	[ "$(stat -c %s "$tmp/f")" = "$size" ] || { echo "stress-data: gen $t" >&2; exit 1; }
	opts=(--hash-alg="$alg" --block-size="$bs")
	[ "$salt" = - ] || opts+=(--salt="$salt")
	d=$(fsverity digest "${opts[@]}" "$tmp/f" | cut -d' ' -f1)
	echo "$t $size $alg $bs $salt $seed $d"
done > "$tmp/stress.tab"
mv "$tmp/stress.tab" "$out/stress.tab"
