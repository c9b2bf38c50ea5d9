// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.19 wrapped inode->i_state in a struct read through
 * inode_state_read_once().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

bool verityfs_probe(struct inode *inode);
bool verityfs_probe(struct inode *inode)
{
	return inode_state_read_once(inode) & I_NEW;
}
