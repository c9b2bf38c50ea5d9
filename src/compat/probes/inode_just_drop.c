// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.18 renamed generic_delete_inode() to inode_just_drop().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

const struct super_operations verityfs_probe_sops = {
	.drop_inode = inode_just_drop,
};
