// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.7 made i_atime and i_mtime private behind inode_get_atime() and
 * inode_set_atime_to_ts() (and the mtime pair).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

void verityfs_probe(struct inode *dest, const struct inode *src);
void verityfs_probe(struct inode *dest, const struct inode *src)
{
	inode_set_atime_to_ts(dest, inode_get_atime(src));
	inode_set_mtime_to_ts(dest, inode_get_mtime(src));
}
