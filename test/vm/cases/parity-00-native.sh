# SPDX-License-Identifier: GPL-2.0-only
# Parity with native ext4 fs-verity, part 1: the reference transcripts of the
# scenario list (test/vm/parity/scenarios.sh: the assertions of xfstests
# generic/572, 573 non-root, 574, 575, 624) on native ext4, kept in /tmp/parity
# for the parity-* cases after it.
# Copyright (C) 2026 The verityfs authors

. /test/parity/case.sh
parity_native
