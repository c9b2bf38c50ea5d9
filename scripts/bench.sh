#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Benchmarks (not a test): one VM per kernel. Fails only when something errors
# out, never on a figure. Parts (BENCH_PARTS, default all three, in this order):
#   read  a file on ext4 on a virtio disk, read as plain ext4, native ext4
#         fs-verity, a verityfs verity file and a verityfs plain file
#         (test/vm/cases/bench-read.sh)
#   pass  plain-file I/O and metadata work through verityfs against the lower,
#         on ext4 and xfs (bench-pass.sh)
#   mem   kernel memory per verity file against native, and the hash-block
#         cache's hit rate on a large file (bench-mem.sh)
# Prints absolute figures and the ratios against the goals (docs/bench.md).
#
# usage: scripts/bench.sh [ID...]          (default: 6.1)
# Environment: BENCH_PARTS    parts to run (default "read pass mem")
#              BENCH_SIZE_MB  size of the read part's file (default 256)
#              BENCH_REP      repeats of every measurement (default 5; medians)
#              BENCH_RAND     random 4 KiB reads (and writes) per run (default 2048)
#              BENCH_PASS_MB  the pass part's plain file (default 1024)
#              BENCH_META     plain files of the metadata runs (default 100000)
#              BENCH_VMETA    verity files of the metadata runs (default 10000)
#              BENCH_META_REP repeats of the pass part (default 3)
#              BENCH_MEM_FILES files per variant of the memory part (default 2000)
#              BENCH_HCACHE_MB the mem part's sparse verity file (default 4096)
#              BENCH_ACCEL    tcg (default) or kvm: KVM with the host's CPU
#                             (SHA-NI), where /dev/kvm works
#              VX_MEM         guest memory in MiB (default 1024)
# Copyright (C) 2026 The verityfs authors
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-256}
REP=${BENCH_REP:-5}
RAND=${BENCH_RAND:-2048}
PARTS=${BENCH_PARTS:-read pass mem}
PASS_MB=${BENCH_PASS_MB:-1024}
META=${BENCH_META:-100000}
VMETA=${BENCH_VMETA:-10000}
META_REP=${BENCH_META_REP:-3}
MEM_FILES=${BENCH_MEM_FILES:-2000}
HCACHE_MB=${BENCH_HCACHE_MB:-4096}
[ $# -gt 0 ] || set -- 6.1

# KVM runs the guest on the host's CPU, so its hashing is what a real machine
# does (SHA-NI, the 2-way interleaved SHA-256 of 6.18+).
case ${BENCH_ACCEL:-tcg} in
tcg) export VX_ACCEL=tcg VX_CPU=max ;;
kvm)
	[ -r /dev/kvm ] && [ -w /dev/kvm ] ||
		die "BENCH_ACCEL=kvm: /dev/kvm is missing or not usable here (modprobe kvm_intel or kvm_amd; be in group kvm)"
	export VX_ACCEL=kvm VX_CPU=host ;;
*) die "BENCH_ACCEL must be tcg or kvm" ;;
esac
cases=
for p in $PARTS; do
	case $p in read|pass|mem) cases="$cases bench-$p" ;; *) die "unknown BENCH_PARTS part '$p'" ;; esac
done

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
	for r in $(seq 1 "$REP"); do
		if [ "$r" -gt 1 ]; then
			cp "$stage/plain" "$stage/en-n-$r"
			cp "$stage/plain" "$stage/en-v-$r"
		fi
		cp "$stage/plain" "$stage/en-e-$r"
		cp "$stage/plain" "$stage/en-t-$r"
	done
	copies=$((1 + 4 * REP))
	truncate -s $(((copies + 1) * SIZE_MB + 256))M "$img"
	mkfs.ext4 -q -F -O verity -b 4096 -d "$stage" "$img"
	rm -rf "$stage"
}

# The pass and mem parts' empty filesystems: ext4 with verity, and xfs, as
# sparse images. Made on the host, so the guest spends no time on mkfs and
# ext4 has no lazy inode table init running during the measurements.
make_pass_disks() {
	local dir=$1 gib
	gib=$(( (PASS_MB >> 10) * 2 + (HCACHE_MB >> 10) + 4 ))
	rm -f "$dir/ext4.img" "$dir/xfs.img"
	truncate -s "${gib}G" "$dir/ext4.img" "$dir/xfs.img"
	mkfs.ext4 -q -F -O verity -b 4096 -N $((META * 2 + 200000)) \
		-E lazy_itable_init=0,lazy_journal_init=0 "$dir/ext4.img"
	mkfs.xfs -q -f "$dir/xfs.img"
}

report() {
	tr -d '\r' < "$1" | awk -f "$VERITYFS_TOP/scripts/bench-report.awk"
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
	make_pass_disks "$out"
	start=$(date +%s)
	# Other work on the host takes CPU time from the guest's two vCPUs, and
	# verityfs hashes on both where native uses one: the load matters.
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	# The guest's own limit is per case; the outer one covers them all.
	if ! VX_DRIVES="$out/disk.img $out/ext4.img $out/xfs.img" VX_MEM=${VX_MEM:-1024} \
		VX_TIMEOUT=${VX_TIMEOUT:-36000} VX_CASE_TIMEOUT=${VX_CASE_TIMEOUT:-18000} \
		VX_APPEND="vx.bench_rep=$REP vx.bench_rand=$RAND vx.bench_pass_mb=$PASS_MB vx.bench_meta=$META vx.bench_vmeta=$VMETA vx.bench_meta_rep=$META_REP vx.bench_mem_files=$MEM_FILES vx.bench_hcache_mb=$HCACHE_MB" \
		"$VERITYFS_TOP/scripts/vm-run.sh" "$id" "$out/initrd.gz" "$out" "${cases# }"; then
		fail=1
	fi
	load1=$(cut -d' ' -f1-3 /proc/loadavg)
	report "$out/result.tap" | tee "$out/bench.txt"
	echo "# [$id] host load average (1, 5, 15 min) before the run: $load0; after: $load1" |
		tee -a "$out/bench.txt"
	# The case lines carry the guest's clock: how long each part took.
	echo "# [$id] ${BENCH_ACCEL:-tcg}, parts:${cases}; run took $(( $(date +%s) - start )) s with the wait for other guests; console: $out/console.log" |
		tee -a "$out/bench.txt"
	rm -f "$out/disk.img" "$out/ext4.img" "$out/xfs.img"
done
exit $fail
