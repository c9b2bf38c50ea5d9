#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make check`: host tests, the warning-free build against every kernel of the
# matrix, style, lintian on the packages, the VM suite, the errors=panic boot and the crash/reboot
# persistence test on 6.1. Every stage prints TAP lines; the last line is the
# summary "N passed, N failed". Exit status 0 only when nothing failed.
#
# Environment: CHECK_VM_KERNELS (default 6.1), CHECK_PACKAGING=1 also runs
# `make check-packaging` (the debootstrap boot test, slow).
# Copyright (C) 2026 The verityfs authors
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP" || exit 1

log=build/check.log
mkdir -p build
: > "$log"

# stage NAME CMD...: run one stage; a stage that fails without saying which
# test failed still counts as a failure.
stage() {
	local name=$1 start rc; shift
	start=$(date +%s)
	echo "# stage $name" | tee -a "$log"
	"$@" 2>&1 | tee -a "$log.stage" | grep --line-buffered -E '^(ok|not ok|#)' | tee -a "$log"
	rc=${PIPESTATUS[0]}
	cat "$log.stage" >> build/check.full.log; rm -f "$log.stage"
	if [ "$rc" -ne 0 ] && ! tail -n 200 "$log" | grep '^not ok' | grep -qv '# TODO'; then
		echo "not ok - stage $name exited with status $rc (see build/check.full.log)" | tee -a "$log"
	fi
	echo "# stage $name took $(( $(date +%s) - start )) s" | tee -a "$log"
}

# The .debs as `make deb` builds them, judged by lintian.
lintian_check() {
	if make -s --no-print-directory lintian; then
		echo "ok - make lintian: the source and binary packages have no error or warning"
	else
		echo "not ok - make lintian"
		return 1
	fi
}

: > build/check.full.log
stage deps scripts/install-deps.sh
# The style stage's checkpatch.pl (a 150 MB package the first time), fetched
# meanwhile; the style stage waits for it.
scripts/fetch-checkpatch.sh > build/fetch-checkpatch.log 2>&1 &
stage core make -s --no-print-directory check-core
stage version make -s --no-print-directory check-version
read -ra vm_ids <<<"$(scripts/kernels.sh ids ${CHECK_VM_KERNELS:-6.1})"
read -ra build_only <<<"$(kernel_ids | grep -vxF -f <(printf '%s\n' "${vm_ids[@]}") | tr '\n' ' ')"
# Every kernel at once (downloads in one go, unpacking in parallel): the
# headers for a build, and for the kernels the VM stages boot, everything.
stage fetch scripts/fetch-kernels.sh --headers "${build_only[@]}" --full "${vm_ids[@]}"
stage matrix-build scripts/matrix-build.sh
# After the build: the style stage checks the module's symbols too.
stage style scripts/check-style.sh
stage lintian lintian_check
# The VM stages use the modules matrix-build has just built (and the panic
# and persistence stages the vm stage's initramfs): lib.sh vm_prepare.
VERITYFS_PREBUILT=1 stage vm scripts/vm-suite.sh "${vm_ids[@]}"
# A boot of its own whose expected end is verityfs's errors=panic.
VERITYFS_PREBUILT=1 stage panic scripts/check-panic.sh "${vm_ids[@]}"
# Crash mid-enable and reboot on persistent disks.
VERITYFS_PREBUILT=1 stage persist scripts/vm-persist.sh "${vm_ids[@]}"
if [ "${CHECK_PACKAGING:-0}" = 1 ]; then
	stage packaging make -s --no-print-directory check-packaging
fi

echo
scripts/tap-summary.sh "$log"
