#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Read benchmark (not a test): one VM per kernel, a file on ext4 on a virtio
# disk, read as plain ext4, native ext4 fs-verity, a verityfs verity file and
# a verityfs plain file; prints absolute figures and the ratios against the
# goals. Fails only when something errors out, never on a figure.
#
# usage: scripts/bench.sh [ID...]          (default: 6.1)
# Environment: BENCH_SIZE_MB  file size (default 256)
#              BENCH_REP      repeats of every measurement (default 3; medians)
#              BENCH_RAND     random 4 KiB reads per run (default 2048)
#              VX_MEM         guest memory in MiB (default 1024)
# Copyright (C) 2026 The verityfs authors
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-256}
REP=${BENCH_REP:-3}
RAND=${BENCH_RAND:-2048}
[ $# -gt 0 ] || set -- 6.1

# The ext4 image: one random file (a fixed AES-CTR stream, so every run reads
# the same bytes) as plain, native and vfile, plus one copy per extra enable.
make_disk() {
	local img=$1 stage=$2 r copies
	rm -rf "$stage" "$img"
	mkdir -p "$stage"
	openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
		-iv 00000000000000000000000000000000 -in /dev/zero 2>/dev/null |
		head -c $((SIZE_MB << 20)) > "$stage/plain" || true	# openssl dies of SIGPIPE
	[ "$(stat -c %s "$stage/plain")" = $((SIZE_MB << 20)) ] || die "cannot make the bench data"
	cp "$stage/plain" "$stage/native"
	cp "$stage/plain" "$stage/vfile"
	for r in $(seq 2 "$REP"); do
		cp "$stage/plain" "$stage/en-n-$r"
		cp "$stage/plain" "$stage/en-v-$r"
	done
	copies=$((1 + 2 * REP))
	truncate -s $(((copies + 1) * SIZE_MB + 256))M "$img"
	mkfs.ext4 -q -F -O verity -b 4096 -d "$stage" "$img"
	rm -rf "$stage"
}

# report TAP: medians and ratios from the guest's "# bench" lines.
report() {
	tr -d '\r' < "$1" | awk -v goal_seq=1.0 -v goal_rand=1.0 -v goal_warm=0.98 \
		-v goal_cache=1.05 -v goal_enable=1.0 '
	function median(key,   n, i, j, t, a) {
		n = cnt[key]; if (!n) return -1
		for (i = 1; i <= n; i++) a[i] = val[key, i]
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo[key] = a[1]; hi[key] = a[n]
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	function add(key, v) { val[key, ++cnt[key]] = v }
	# per-repeat ratio of two series, so that the spread is of the ratio itself
	function ratio(kind, num, den, inv,   r, k, x) {
		k = kind "/" num "/" den
		for (r = 1; r <= reps; r++) {
			if (!((kind, num, r) in raw) || !((kind, den, r) in raw)) continue
			x = inv ? raw[kind, den, r] / raw[kind, num, r] : raw[kind, num, r] / raw[kind, den, r]
			add(k, x)
		}
		return k
	}
	function line(label, k, goal, cmp,   m) {
		m = median(k)
		printf "  %-34s = %5.2f  [%4.2f-%4.2f]  (goal %s %s)\n", label, m, lo[k], hi[k], cmp, goal
	}
	function info(label, k) {
		m = median(k)
		printf "  %-34s = %5.2f  [%4.2f-%4.2f]\n", label, m, lo[k], hi[k]
	}
	function cell(kind, v, scale,   k, m) {
		k = kind "/" v
		m = median(k)
		if (m < 0) return sprintf("%22s", "-")
		return sprintf("%9.1f [%4.0f-%4.0f]", m * scale, lo[k] * scale, hi[k] * scale)
	}
	$1 == "#" && $2 == "bench" {
		if ($3 == "info") { inf[$4] = $5; next }
		kind = $3; v = $4; r = $5; if (r > reps) reps = r
		x = $6
		if (kind == "seq" || kind == "warm") x = ($7 / 1048576) / ($6 / 1e9)	# MiB/s
		else if (kind == "rand") x = ($7 / 4096) / ($6 / 1e9)			# IOPS
		else if (kind == "enable") x = $6 / 1e9					# s
		else if (kind == "cached" || kind ~ /_io$/) x = $6 / 1024		# MiB
		else if (kind == "hcache_bytes") x = $6 / 1048576			# MiB
		raw[kind, v, r] = x; add(kind "/" v, x)
	}
	END {
		size = inf["size"] / 1048576
		printf "verityfs read benchmark: %s, %d MiB file on ext4 (virtio disk), sha256 driver %s (sha_ni cpus: %s), %d repeats\n",
			inf["kernel"], size, inf["sha256"], inf["cpu_sha_ni"], reps
		printf "median [min-max] over the repeats\n\n"
		printf "%-22s %22s %22s %22s %22s\n", "", "(a) ext4", "(b) ext4 verity", "(c) verityfs verity", "(d) verityfs plain"
		printf "%-22s %s %s %s %s\n", "cold seq MiB/s", cell("seq", "a", 1), cell("seq", "b", 1), cell("seq", "c", 1), cell("seq", "d", 1)
		printf "%-22s %s %s %s %s\n", "cold rand 4K IOPS", cell("rand", "a", 1), cell("rand", "b", 1), cell("rand", "c", 1), cell("rand", "d", 1)
		printf "%-22s %s %s %s %s\n", "warm seq MiB/s", cell("warm", "a", 1), cell("warm", "b", 1), cell("warm", "c", 1), cell("warm", "d", 1)
		printf "%-22s %s %s %s %s\n", "page cache held MiB", cell("cached", "a", 1), cell("cached", "b", 1), cell("cached", "c", 1), cell("cached", "d", 1)
		printf "%-22s %s %s %s %s\n", "cold seq disk MiB", cell("seq_io", "a", 1), cell("seq_io", "b", 1), cell("seq_io", "c", 1), cell("seq_io", "d", 1)
		printf "%-22s %s %s %s %s\n", "cold rand disk MiB", cell("rand_io", "a", 1), cell("rand_io", "b", 1), cell("rand_io", "c", 1), cell("rand_io", "d", 1)
		printf "%-22s %22s %22s %s %22s\n", "cold rand hash misses", "-", "-", cell("rand_hmiss", "c", 1), "-"
		printf "%-22s %22s %s %s %22s\n", "enable s", "-", cell("enable", "b", 1), cell("enable", "c", 1), "-"
		printf "%-22s %22s %22s %s %22s\n", "hash cache MiB", "-", "-", cell("hcache_bytes", "c", 1), "-"
		printf "\nratios (throughput, higher is better; page cache and enable time: lower is better)\n"
		line("cold seq (c)/(b)", ratio("seq", "c", "b"), goal_seq, ">=")
		line("cold random (c)/(b)", ratio("rand", "c", "b"), goal_rand, ">=")
		line("warm seq (c)/(a)", ratio("warm", "c", "a"), goal_warm, ">=")
		for (r = 1; r <= reps; r++) if (("cached", "c", r) in raw) add("pc", raw["cached", "c", r] / size)
		line("page cache held (c)/file size", "pc", goal_cache, "<=")
		line("enable time (c)/(b)", ratio("enable", "c", "b"), goal_enable, "<=")
		printf "\nother ratios\n"
		info("cold seq (b)/(a)", ratio("seq", "b", "a"))
		info("cold seq (c)/(a)", ratio("seq", "c", "a"))
		info("cold seq (d)/(a)", ratio("seq", "d", "a"))
		info("cold random (b)/(a)", ratio("rand", "b", "a"))
		info("cold random (c)/(a)", ratio("rand", "c", "a"))
		info("cold random (d)/(a)", ratio("rand", "d", "a"))
		info("warm seq (d)/(a)", ratio("warm", "d", "a"))
		printf "\nhash cache (cumulative): hits %s, misses %s, evictions %s, verified blocks %s\n",
			inf["hcache_hits"], inf["hcache_misses"], inf["hcache_evictions"], inf["hcache_verified_blocks"]
	}'
}

fail=0
for id in "$@"; do
	out=$VERITYFS_TOP/build/bench/$id
	mkdir -p "$out"
	rc=0
	vm_prepare "$id" "$out" > "$out/build.log" 2>&1 || rc=$?
	case $rc in
	2) cat "$out/build.log"; fail=1; continue ;;
	3) echo "not ok - [$id] initramfs: $(tail -n 3 "$out/mkinitramfs.log")"; fail=1; continue ;;
	esac
	make_disk "$out/disk.img" "$out/stage"
	if ! VX_DRIVES=$out/disk.img VX_MEM=${VX_MEM:-1024} VX_TIMEOUT=${VX_TIMEOUT:-1800} \
		VX_APPEND="vx.bench_rep=$REP vx.bench_rand=$RAND" \
		"$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$out" "bench-*"; then
		fail=1
	fi
	report "$out/result.tap" | tee "$out/bench.txt"
	echo "# [$id] console: $out/console.log"
	rm -f "$out/disk.img"
done
exit $fail
