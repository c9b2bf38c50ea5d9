# SPDX-License-Identifier: GPL-2.0-only
# Long robustness runs in VM guests, on demand (issue 13, docs/robustness.md).
# Copyright (C) 2026 The verityfs authors
#
# Targets (KERNELS selects kernel ids as for the other VM targets):
#   stress       mixed stress, STRESS_SECS per lower (default 600), ext4, xfs,
#                btrfs on virtio disks and tmpfs (default KERNELS "6.1 7.2")
#   check-crash  CRASH_ITER resets (default 50) at random moments of enables,
#                renames and unlinks on ext4, xfs and btrfs disks, each
#                followed by a reboot that checks every file (default 6.1)
#   fuzz-vm      FUZZ_CALLS random ioctls per kernel (default 100000, against
#                native ext4 fs-verity), FUZZ_MOUNTS random mounts, FUZZ_ROUNDS
#                damaged store objects and records (default KERNELS "6.1 7.2")
#   scale        SCALE_FILES verity files (default 100000) and 1,000 open at
#                once, memory against native ext4 fs-verity (default 6.1)
# Each writes build/<target>.log and ends with "N passed, N failed"; the
# figures are the "# [...]" lines, also in build/vm/ID/<kind>/.

.PHONY: stress check-crash fuzz-vm scale

# The kernel ids of KERNELS (7.2 -> 7.x), else the target's default.
ROBUST_IDS = $(shell scripts/kernels.sh ids $(or $(KERNELS),$(1)))
ROBUST_RUN = mkdir -p build; $(1) | tee build/$(2).log; scripts/tap-summary.sh build/$(2).log

stress: ## mixed stress on every lower, STRESS_SECS each (default KERNELS 6.1 7.2)
	$(call ROBUST_RUN,scripts/vm-robust.sh stress $(call ROBUST_IDS,6.1 7.2),stress)

check-crash: ## CRASH_ITER resets mid-enable/rename/unlink, each checked after reboot (default 6.1)
	$(call ROBUST_RUN,scripts/vm-crash.sh $(call ROBUST_IDS,6.1),check-crash)

fuzz-vm: ## random ioctls, mounts and damaged metadata, each with an oracle (default 6.1 7.2)
	$(call ROBUST_RUN,scripts/vm-robust.sh fuzz $(call ROBUST_IDS,6.1 7.2),fuzz-vm)

scale: ## SCALE_FILES verity files, memory against native ext4 (default 6.1)
	$(call ROBUST_RUN,scripts/vm-robust.sh scale $(call ROBUST_IDS,6.1),scale)
