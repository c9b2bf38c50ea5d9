// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.13 moved FS_IOC_GETFLAGS/SETFLAGS/FSGETXATTR into
 * inode_operations.fileattr_get/set.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/fileattr.h>

int verityfs_probe(struct dentry *dentry, void *fa);
int verityfs_probe(struct dentry *dentry, void *fa)
{
	return vfs_fileattr_get(dentry, fa);
}
