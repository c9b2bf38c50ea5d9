#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Boot one kernel of the matrix under QEMU (TCG) with a test initramfs and
# report what the guest wrote on its result port.
# Copyright (C) 2026 The verityfs authors
#
# usage: scripts/vm-run.sh ID INITRD OUTDIR [CASES]
#   Prints the guest's TAP lines prefixed with the kernel id. Exit 0 only when
#   the guest wrote "VERDICT PASS". OUTDIR keeps console.log and result.tap.
# Environment: VX_TIMEOUT (outer limit in seconds, default 2700), VX_MEM (MiB),
#              VX_CASE_TIMEOUT (the guest's limit per case, default 600 s),
#              VX_DRIVES (raw disk images, in order the guest's vda, vdb, ...;
#              QEMU's default writeback cache: what the guest wrote survives
#              QEMU's exit, what it kept in its own page cache does not),
#              VX_APPEND (more kernel command line, e.g. vx.bench_rep=3),
#              VX_NOLOCK=1 (do not wait for other guests: vm_lock in lib.sh),
#              VX_ACCEL, VX_CPU (QEMU's -accel and -cpu: tcg and max by default;
#              kvm and host for the benchmark on real hardware, scripts/bench.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=$1 initrd=$2 out=$3 cases=${4:-}
r=$(kernel_root "$id")
kernel=$r/vmlinux
[ -f "$kernel" ] || kernel=$r/vmlinuz
mkdir -p "$out"

drives=()
for img in ${VX_DRIVES:-}; do
	drives+=(-drive "file=$img,format=raw,if=virtio")
done

boot() {
	rm -f "$out/console.log" "$out/result.tap"
	# panic_on_warn + oops=panic + panic=-1 + -no-reboot: any kernel failure
	# ends QEMU at once; the outer timeout ends a hang. log_buf_len: the
	# kernel log holds a whole suite (cases count its lines from a mark,
	# init searches all of it for WARN and BUG at the end).
	timeout --foreground -k 10 "${VX_TIMEOUT:-2700}" qemu-system-x86_64 \
		-accel "${VX_ACCEL:-tcg}" -cpu "${VX_CPU:-max}" -smp 2 -m "${VX_MEM:-1024}" -no-reboot \
		-nographic -monitor none -display none \
		-serial "file:$out/console.log" -serial "file:$out/result.tap" \
		-kernel "$kernel" -initrd "$initrd" "${drives[@]}" \
		-append "console=ttyS0 log_buf_len=16M panic=-1 panic_on_warn=1 oops=panic loglevel=4 vx.kid=$id vx.cases=\"$cases\" vx.timeout=${VX_CASE_TIMEOUT:-600}${VX_APPEND:+ $VX_APPEND}" \
		</dev/null >/dev/null 2>&1
}

vm_lock
echo "# [$id] booting Debian's $(kernel_release "$id")"
start=$(date +%s)
boot; rc=$?
# Multi-threaded TCG very rarely crashes a kernel before /init (vm-testbed
# pitfall 10); that says nothing about verityfs, so boot once more.
if ! grep -q '^# init started' "$out/result.tap" 2>/dev/null; then
	note "[$id] guest died before init (rc=$rc); booting once more"
	cp "$out/console.log" "$out/console.first.log" 2>/dev/null
	boot; rc=$?
fi

echo "# [$id] guest run took $(( $(date +%s) - start )) s"
tr -d '\r' < "$out/result.tap" 2>/dev/null | grep -E '^(ok|not ok) ' | sed -E "s/^(ok|not ok) - /\1 - [$id] /"
if grep -q '^VERDICT PASS' "$out/result.tap" 2>/dev/null; then
	exit 0
fi
if ! grep -q '^VERDICT' "$out/result.tap" 2>/dev/null; then
	last=$(grep '^# case ' "$out/result.tap" 2>/dev/null | tail -n1 | cut -c8-)
	why="no verdict from the guest (qemu rc=$rc${last:+, during case $last}): crash, WARN or hang"
	echo "not ok - [$id] $why"
	echo "# [$id] console: $out/console.log; its last lines:"
	tr -d '\r' < "$out/console.log" | grep -v '^\s*$' | tail -n 25 | sed "s/^/#   /"
fi
exit 1
