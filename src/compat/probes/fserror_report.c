// SPDX-License-Identifier: GPL-2.0-only
/*
 * 7.0 added fserror_report(), which queues FS_ERROR reports to a worker
 * (and hides fsnotify_sb_error()).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/fserror.h>

void verityfs_probe(struct inode *inode, loff_t pos, u64 len);
void verityfs_probe(struct inode *inode, loff_t pos, u64 len)
{
	fserror_report(inode->i_sb, inode, FSERR_BUFFERED_READ, pos, len, -EBADMSG, GFP_NOFS);
}
