// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.12 gave inode operations a user_namespace argument (replaced by
 * mnt_idmap in 6.3).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static int probe_permission(struct user_namespace *ns, struct inode *inode, int mask)
{
	return 0;
}

const struct inode_operations verityfs_probe_iops = {
	.permission = probe_permission,
};
