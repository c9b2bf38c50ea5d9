// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: the one logging helper, rate-limited and naming the mount and
 * the inode.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/ratelimit.h>

#include "verityfs.h"

/**
 * verityfs_msg() - log a message about an inode
 * @inode: the inode concerned, or NULL
 * @level: KERN_* level string
 * @fmt: printf format
 *
 * Messages are rate-limited together, so a file read over and over cannot
 * flood the log.
 */
void verityfs_msg(const struct inode *inode, const char *level, const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (inode)
		printk("%s" pr_fmt("(%s, inode %lu): %pV\n"), level, inode->i_sb->s_id,
		       (unsigned long)inode->i_ino, &vaf);
	else
		printk("%s" pr_fmt("%pV\n"), level, &vaf);
	va_end(args);
}
