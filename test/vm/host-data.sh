#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Test data made on the host for the guest, with the answers of an oracle we
# did not write: the stock `fsverity digest` of fsverity-utils.
# Copyright (C) 2026 The verityfs authors
#
# usage: test/vm/host-data.sh OUTDIR
#   OUTDIR/rand1m            1 MiB of deterministic pseudo-random bytes
#   OUTDIR/digests.txt       "<size> <alg> <digest>" for every prefix size
#                            used by the guest, and the 100 MB sparse file
#   OUTDIR/sig/              signing keys, certificates and signatures (below)
#   OUTDIR/stress.tab        vx-stress templates and their digests (stress-data.sh)
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

# Signatures (sig-* cases): two fresh signers per run, made by openssl as
# xfstests makes them, and the stock `fsverity sign` over fixed files.
#   OUTDIR/sig/key{1,2}.pem, key{1,2}.crt.pem, key{1,2}.der   key, cert, DER cert
#   OUTDIR/sig/zero100k.*.sig  100000 zero bytes (generic/577's file), signed by
#       key1 (sha256, salted abcd, sha512) and key2 (sha256)
#   OUTDIR/sig/x100k.sig       100000 'X' bytes signed by key1 (another file)
#   OUTDIR/sig/empty.sig       the empty file signed by key1
sig=$out/sig
mkdir -p "$sig"
for k in key1 key2; do
	openssl req -newkey rsa:2048 -nodes -batch -x509 -days 7 -subj "/CN=verityfs test $k" \
		-keyout "$sig/$k.pem" -out "$sig/$k.crt.pem" 2>/dev/null
	openssl x509 -in "$sig/$k.crt.pem" -out "$sig/$k.der" -outform der
done
head -c 100000 /dev/zero > "$tmp/zero100k"
head -c 100000 /dev/zero | tr '\0' X > "$tmp/x100k"
: > "$tmp/empty"
fsv_sign() { # FILE OUT KEY [OPTIONS...]
	local f=$1 o=$2 k=$3
	shift 3
	fsverity sign "$f" "$sig/$o" --key="$sig/$k.pem" --cert="$sig/$k.crt.pem" "$@" >/dev/null
}
fsv_sign "$tmp/zero100k" zero100k.key1.sig key1
fsv_sign "$tmp/zero100k" zero100k.key2.sig key2
fsv_sign "$tmp/zero100k" zero100k.salted.sig key1 --salt=abcd
fsv_sign "$tmp/zero100k" zero100k.sha512.sig key1 --hash-alg=sha512
fsv_sign "$tmp/x100k" x100k.sig key1
fsv_sign "$tmp/empty" empty.sig key1

# The stress and crash tests' templates and their digests (stress.tab).
"$(dirname "$0")/stress-data.sh" "$out"
