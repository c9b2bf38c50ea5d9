// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.18 took i_verity_info out of struct inode: a filesystem tells fs/verity
 * where in its own inode the slot is (fsverity_operations.inode_info_offs).
 * 7.0 keeps the info in a hash table instead and dropped the field again.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fsverity.h>

const struct fsverity_operations verityfs_probe = {
	.inode_info_offs = 0,
};
