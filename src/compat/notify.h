/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: filesystem error notification (fanotify FAN_FS_ERROR).
 *
 * Three generations: 7.0 queues reports through fserror_report() (a worker
 * calls fsnotify, holding its own inode reference, and unmount waits for
 * it); 5.16 (and Debian's 5.10 through the stable backport) has the inline
 * fsnotify_sb_error(), which calls fsnotify at once; older kernels have
 * neither, and the report is dropped.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_NOTIFY_H
#define _VX_COMPAT_NOTIFY_H

#include <linux/fs.h>
#include <linux/fsnotify.h>
#ifdef HAVE_FSERROR_REPORT
#include <linux/fserror.h>
#endif

/**
 * verityfs_compat_report_read_error() - tell fanotify that file data was bad
 * @inode: the inode of @sb the data belongs to
 * @pos: file offset of the bad range
 * @len: its length
 * @error: positive errno carried by the event
 *
 * May sleep for memory (GFP_NOFS); callable with a page lock held.
 */
static inline void verityfs_compat_report_read_error(struct inode *inode, loff_t pos,
						     u64 len, int error)
{
#if defined(HAVE_FSERROR_REPORT)
	fserror_report(inode->i_sb, inode, FSERR_BUFFERED_READ, pos, len, -error, GFP_NOFS);
#elif defined(HAVE_FSNOTIFY_SB_ERROR)
	fsnotify_sb_error(inode->i_sb, inode, error);
#endif
}

#endif /* _VX_COMPAT_NOTIFY_H */
