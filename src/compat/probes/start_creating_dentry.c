// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.19 added start_creating_dentry()/start_renaming_two_dentries();
 * vfs_mkdir() then unlocks on failure.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/namei.h>

int verityfs_probe(struct dentry *parent, struct dentry *child, struct renamedata *rd);
int verityfs_probe(struct dentry *parent, struct dentry *child, struct renamedata *rd)
{
	struct dentry *d = start_creating_dentry(parent, child);

	if (IS_ERR(d))
		return PTR_ERR(d);
	end_creating(d);
	d = start_removing_dentry(parent, child);
	if (IS_ERR(d))
		return PTR_ERR(d);
	end_removing(d);
	return start_renaming_two_dentries(rd, child, child);
}
