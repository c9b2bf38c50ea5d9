// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.19 gave vfs_create/mkdir/mknod/symlink/rmdir a struct delegated_inode
 * * and dropped vfs_create's dir.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

int verityfs_probe(struct dentry *dentry, umode_t mode);
int verityfs_probe(struct dentry *dentry, umode_t mode)
{
	struct delegated_inode *deleg = NULL;

	return vfs_create(&nop_mnt_idmap, dentry, mode, deleg);
}
