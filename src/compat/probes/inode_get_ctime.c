// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.6 made i_ctime private behind inode_get_ctime() (Debian backported it
 * to 5.10 and 6.1).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

struct timespec64 verityfs_probe(const struct inode *inode);
struct timespec64 verityfs_probe(const struct inode *inode)
{
	return inode_get_ctime(inode);
}
