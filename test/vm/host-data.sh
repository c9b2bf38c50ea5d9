#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Test data made on the host for the guest, with the answers of an oracle we
# did not write: the stock `fsverity digest` of fsverity-utils.
#
# usage: test/vm/host-data.sh OUTDIR
#   OUTDIR/rand1m            1 MiB of deterministic pseudo-random bytes
#   OUTDIR/digests.txt       "<size> <alg> <digest>" for every prefix size
#                            used by the guest, and the 100 MB sparse file
set -euo pipefail
out=$1
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# AES-CTR over zeros: the same bytes on every run and every machine.
# (openssl dies of SIGPIPE when head has enough, hence the || true.)
{ openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 \
	-in /dev/zero 2>/dev/null || true; } | head -c 1048576 > "$out/rand1m"
[ "$(stat -c %s "$out/rand1m")" = 1048576 ] || { echo "host-data: openssl failed" >&2; exit 1; }

: > "$out/digests.txt"
for size in 0 1 4095 4096 4097 1048576 100000000; do
	if [ "$size" = 100000000 ]; then
		truncate -s "$size" "$tmp/f"		# sparse: all zeros
	else
		head -c "$size" "$out/rand1m" > "$tmp/f"
	fi
	for alg in sha256 sha512; do
		d=$(fsverity digest --hash-alg="$alg" --block-size=4096 "$tmp/f" | cut -d' ' -f1)
		echo "$size $alg $d" >> "$out/digests.txt"
	done
	rm -f "$tmp/f"
done
