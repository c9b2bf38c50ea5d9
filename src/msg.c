// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: the one logging helper, rate-limited and naming the mount and
 * the inode.
 *
 * Lines read like upstream fs-verity's, with verityfs's name and the mount's
 * "major:minor" (its s_id, as in /proc/self/mountinfo and under
 * /sys/fs/verityfs/) where fs-verity names the block device:
 *
 *   verityfs (0:45, inode 12): FILE CORRUPTED! pos=4096, ...
 *   verityfs (0:45): could not remove verity object ...
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/ratelimit.h>

#include "verityfs.h"

/**
 * verityfs_msg() - log a message about a mount, or an inode of one
 * @sb: the super block concerned; NULL for an inode's (its own) or for
 *	module-wide messages
 * @inode: the inode concerned, or NULL
 * @level: KERN_* level string
 * @fmt: printf format
 *
 * Messages are rate-limited together, so a file read over and over cannot
 * flood the log. Callers use the verityfs_err()/verityfs_warn() (inode) and
 * verityfs_sb_err()/verityfs_sb_warn() (mount) wrappers.
 */
void verityfs_msg(const struct super_block *sb, const struct inode *inode, const char *level,
		  const char *fmt, ...)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&rs))
		return;
	if (inode)
		sb = inode->i_sb;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (inode)
		printk("%s" VERITYFS_NAME " (%s, inode %llu): %pV\n", level, sb->s_id,
		       (u64)inode->i_ino, &vaf);
	else if (sb)
		printk("%s" VERITYFS_NAME " (%s): %pV\n", level, sb->s_id, &vaf);
	else
		printk("%s" VERITYFS_NAME ": %pV\n", level, &vaf);
	va_end(args);
}
