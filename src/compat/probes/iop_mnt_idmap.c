// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.3 changed the idmap argument of inode operations from user_namespace
 * to mnt_idmap.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static int probe_permission(struct mnt_idmap *idmap, struct inode *inode, int mask)
{
	return 0;
}

const struct inode_operations verityfs_probe_iops = {
	.permission = probe_permission,
};
