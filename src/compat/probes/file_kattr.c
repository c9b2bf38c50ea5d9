// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.17 renamed struct fileattr to struct file_kattr.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/fileattr.h>

int verityfs_probe(struct dentry *dentry, struct file_kattr *fa);
int verityfs_probe(struct dentry *dentry, struct file_kattr *fa)
{
	return vfs_fileattr_get(dentry, fa);
}
