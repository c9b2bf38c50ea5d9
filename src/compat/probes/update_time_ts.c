// SPDX-License-Identifier: GPL-2.0-only
/*
 * Before 6.6 ->update_time took the new time: (inode, struct timespec64 *,
 * int flags).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static int verityfs_probe_update_time(struct inode *inode, struct timespec64 *now, int flags)
{
	return 0;
}

const struct inode_operations verityfs_probe_iops = {
	.update_time = verityfs_probe_update_time,
};
