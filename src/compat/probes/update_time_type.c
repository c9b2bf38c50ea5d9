// SPDX-License-Identifier: GPL-2.0-only
/*
 * 7.0 passes ->update_time what to update as enum fs_update_time: (inode,
 * type, flags).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static int verityfs_probe_update_time(struct inode *inode, enum fs_update_time type,
				      unsigned int flags)
{
	return 0;
}

const struct inode_operations verityfs_probe_iops = {
	.update_time = verityfs_probe_update_time,
};
