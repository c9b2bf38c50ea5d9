# SPDX-License-Identifier: GPL-2.0-only
# Permission parity over xfs: every operation as root, alice, bob and bob
# in alice's group, directly on the lower and through verityfs, must give the
# same errno and the same state (test/vm/perm/case.sh).
#
# Copyright (C) 2026 The verityfs authors

. /test/perm/case.sh
perm_lower xfs
