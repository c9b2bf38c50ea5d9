#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Prove once that the test bed turns failures red: each deliberately broken
# guest case (a kernel crash, a hang, a wrong result) must fail the run with
# a message that says what happened. Not part of the default run.
#
# usage: scripts/check-broken.sh [ID]   (default 6.1)
# Copyright (C) 2026 The verityfs authors
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=${1:-6.1}
out=$VERITYFS_TOP/build/vm-broken/$id
vm_prepare "$id" "$out" >/dev/null
case $? in
2) die "module build for $id failed" ;;
3) die "initramfs for $id failed" ;;
esac

# expect CASE REGEX: the run must fail and its report must match REGEX.
fail=0
expect() {
	local c=$1 re=$2 res rc
	res=$(VX_CASE_TIMEOUT=20 VX_TIMEOUT=300 "$VERITYFS_TOP/scripts/vm-run.sh" "$id" \
		"$out/initrd.gz" "$out/$c" "$c" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$res" | grep -qE "$re"; then
		echo "ok - [$id] $c turns the run red: $(echo "$res" | grep -E "$re" | head -n1 | cut -c1-120)"
	else
		echo "not ok - [$id] $c was not caught (rc=$rc)"
		echo "$res" | sed 's/^/#   /'
		fail=1
	fi
}
expect broken-panic 'no verdict from the guest .*during case broken-panic'
expect broken-hang 'broken-hang: case exited with status 137'
expect broken-wrong "not ok - \[$id\] broken-wrong: .*want 'sha256:1111"
# The robustness detectors (one boot): each of the case's claims must be refuted.
res=$(VX_CASE_TIMEOUT=120 VX_TIMEOUT=400 "$VERITYFS_TOP/scripts/vm-run.sh" "$id" \
	"$out/initrd.gz" "$out/broken-stress" broken-stress 2>&1)
for re in "stress: injected changes give no wrong byte" "stress: injected changes give no EIO" \
	"crash check: a removed object goes unnoticed" "ioctl fuzz: ext4 without verity answers"; do
	if echo "$res" | grep -q "^not ok - \[$id\] broken-stress: $re"; then
		echo "ok - [$id] broken-stress: the detector refutes \"$re\""
	else
		echo "not ok - [$id] broken-stress: \"$re\" was not refuted"
		fail=1
	fi
done
tr -d "\r" < "$out/broken-stress/result.tap" | grep -E "^# (stress|crashcheck|ioctl)" | sed "s/^# /# [$id] broken-stress: /"
exit $fail
