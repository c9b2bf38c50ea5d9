# SPDX-License-Identifier: GPL-2.0-only
# Parity with native ext4 fs-verity over xfs: the scenario list's transcript on
# verityfs over xfs must equal native ext4's scenario by scenario, except for
# the differences documented in test/vm/parity/allow.txt.
# Copyright (C) 2026 The verityfs authors

. /test/parity/case.sh
parity_lower xfs
