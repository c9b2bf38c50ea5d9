#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make check`: host tests, the warning-free build against every kernel of the
# matrix, the VM suite and the crash/reboot persistence test on 6.1. Every
# stage prints TAP lines; the last line is the summary "N passed, N failed".
# Exit status 0 only when nothing failed.
#
# Environment: CHECK_VM_KERNELS (default 6.1), CHECK_PACKAGING=1 also runs
# `make check-packaging` (the debootstrap boot test, slow).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$VERITYFS_TOP"

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
	if [ "$rc" -ne 0 ] && ! tail -n 200 "$log" | grep -q '^not ok'; then
		echo "not ok - stage $name exited with status $rc (see build/check.full.log)" | tee -a "$log"
	fi
	echo "# stage $name took $(( $(date +%s) - start )) s" | tee -a "$log"
}

: > build/check.full.log
stage deps scripts/install-deps.sh
stage style sh -c 'scripts/check-license.sh; scripts/check-compat-isolation.sh'
stage core make -s --no-print-directory check-core
stage version make -s --no-print-directory check-version
stage matrix-build scripts/matrix-build.sh
[ -f build/matrix/6.1/verityfs.ko ] && stage symbols scripts/check-symbols.sh build/matrix/6.1/verityfs.ko
# shellcheck disable=SC2086
stage vm scripts/vm-suite.sh ${CHECK_VM_KERNELS:-6.1}
# Crash mid-enable and reboot on persistent disks (uses the vm stage's module).
# shellcheck disable=SC2086
stage persist env VX_PERSIST_REUSE=1 scripts/vm-persist.sh ${CHECK_VM_KERNELS:-6.1}
if [ "${CHECK_PACKAGING:-0}" = 1 ]; then
	stage packaging make -s --no-print-directory check-packaging
fi

echo
scripts/tap-summary.sh "$log"
