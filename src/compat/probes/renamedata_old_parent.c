// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.17-6.19 reshaped struct renamedata: one mnt_idmap and parent dentries
 * instead of dir inodes.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

void verityfs_probe(struct renamedata *rd, struct dentry *d);
void verityfs_probe(struct renamedata *rd, struct dentry *d)
{
	rd->mnt_idmap = &nop_mnt_idmap;
	rd->old_parent = d;
	rd->new_parent = d;
}
