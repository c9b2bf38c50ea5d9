// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.16 added fsnotify_sb_error() for FAN_FS_ERROR (Debian's 5.10 has the
 * stable backport).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/fsnotify.h>

int verityfs_probe(struct super_block *sb, struct inode *inode);
int verityfs_probe(struct super_block *sb, struct inode *inode)
{
	return fsnotify_sb_error(sb, inode, EBADMSG);
}
