# SPDX-License-Identifier: GPL-2.0-only
# Permission parity over ext4: every operation as root, alice, bob and bob
# in alice's group, directly on the lower and through verityfs, must give the
# same errno and the same state (test/vm/perm/case.sh); and a user must not
# write into the blocks ext4 keeps for root.
#
# Copyright (C) 2026 The verityfs authors

. /test/perm/case.sh
perm_lower ext4
perm_reserved
