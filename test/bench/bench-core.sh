#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench-core: tree-build throughput of the core side by side with
# `fsverity digest` on the same file and the one-core `openssl speed` bound.
# A measurement, not a test: it never fails on timing, only on wrong digests.
# usage: bench-core.sh BENCH_BINARY FILE   (FILE is created: 1 GiB, random)
# Copyright (C) 2026 The verityfs authors
set -euo pipefail
bin=$1 file=$2
size=$((1 << 30))
rep=${BENCH_REPEAT:-3}

if [ ! -f "$file" ] || [ "$(stat -c %s "$file")" -ne $size ]; then
	echo "# creating $file (1 GiB of random data)"
	head -c $size /dev/urandom > "$file"
fi
cat "$file" > /dev/null

# best-of-$rep wall time of `fsverity digest`, in MB/s; also checks the digest.
fsv() {
	local alg=$1 bs=$2 best=999 t d i
	for ((i = 0; i < rep; i++)); do
		t=$( { /usr/bin/time -f %e fsverity digest --compact --hash-alg="$alg" \
			--block-size="$bs" "$file" > "$file.fsv"; } 2>&1 )
		best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (a < b) ? a : b }')
	done
	d=$(cat "$file.fsv"); rm -f "$file.fsv"
	echo "$(awk -v s=$size -v t="$best" 'BEGIN { printf "%.0f", s / t / 1e6 }') $d"
}

# One-core OpenSSL bound on 4 KiB (or 1 KiB) messages, MB/s.
ossl() {
	openssl speed -evp "$1" -bytes "$2" -seconds 3 2>/dev/null |
		awk -v b="$2" '$1 == "'"$1"'" || $1 == "'"${1^^}"'" { v = $NF } END { sub("k", "", v); printf "%.0f", v * 1000 / 1e6 }'
}

printf '# %-14s %10s %10s %10s %10s %8s %8s\n' case core-1way core-2way fsverity openssl x-fsv x-ossl
for c in sha256:4096 sha256:1024 sha512:4096; do
	alg=${c%:*} bs=${c#*:}
	one=$("$bin" "$file" "$alg" "$bs" 1way "$rep")
	two=$("$bin" "$file" "$alg" "$bs" 2way "$rep")
	read -r fmb fdig <<< "$(fsv "$alg" "$bs")"
	omb=$(ossl "$alg" "$bs")
	m1=$(sed 's/.*: \([0-9]*\) MB.*/\1/' <<< "$one")
	m2=$(sed 's/.*: \([0-9]*\) MB.*/\1/' <<< "$two")
	d1=$(sed 's/.*digest \([0-9a-f]*\).*/\1/' <<< "$one")
	d2=$(sed 's/.*digest \([0-9a-f]*\).*/\1/' <<< "$two")
	if [ "$d1" != "$fdig" ] || [ "$d2" != "$fdig" ]; then
		echo "not ok - bench $c: core digest differs from fsverity digest"
		exit 1
	fi
	best=$(( m2 > m1 ? m2 : m1 ))
	printf '  %-14s %10s %10s %10s %10s %8s %8s\n' "$c" "$m1 MB/s" "$m2 MB/s" "$fmb MB/s" "$omb MB/s" \
		"$(awk -v a=$best -v b=$fmb 'BEGIN { printf "%.2fx", a / b }')" \
		"$(awk -v a=$best -v b=$omb 'BEGIN { printf "%.2fx", a / b }')"
done
echo "# core-2way for sha512 is the 1-way path (no 2-way SHA-512 backend; Zen 3 has no SHA-512 ISA)"
echo "# x-fsv = best core / fsverity digest; x-ossl = best core / openssl speed (1 core, same message size)"
echo "# goal for sha256/4096: >= 1.2x fsverity digest and >= 0.9x the OpenSSL bound"
