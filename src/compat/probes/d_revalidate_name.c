// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.14 gave d_revalidate the parent inode and a stable name: (dir, name,
 * dentry, flags).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/dcache.h>

static int probe_revalidate(struct inode *dir, const struct qstr *name,
			    struct dentry *dentry, unsigned int flags)
{
	return 1;
}

const struct dentry_operations verityfs_probe_dops = {
	.d_revalidate = probe_revalidate,
};
