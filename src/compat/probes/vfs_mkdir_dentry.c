// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.15 made vfs_mkdir() and inode_operations.mkdir return the new dentry.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static struct dentry *probe_mkdir(struct mnt_idmap *idmap, struct inode *dir,
				  struct dentry *dentry, umode_t mode)
{
	return NULL;
}

const struct inode_operations verityfs_probe_iops = {
	.mkdir = probe_mkdir,
};
