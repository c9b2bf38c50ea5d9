// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: what happens once a block of a verity file failed verification.
 *
 * The caller has already logged the block (position and both hashes, one
 * rate-limited line). Here the failure is counted for the mount, reported
 * to fanotify watchers (FAN_FS_ERROR, where the kernel has it), and, with
 * errors=panic, turned into a kernel panic.
 *
 * The report goes to two filesystems: the verityfs mount, and the lower
 * filesystem that holds the changed bytes, with the lower inode. fanotify
 * watches a whole filesystem only when it can decode file handles, which
 * every disk filesystem and tmpfs can and verityfs cannot (it has no
 * export_operations: docs/reporting.md), so today the lower filesystem is
 * where a monitor receives the event.
 *
 * The notification carries EBADMSG, the errno fs/verity uses for a block
 * that does not match its Merkle tree, and the one ext4 and xfs report as
 * EFSBADCRC for a checksum mismatch; the reader itself gets EIO, as from
 * upstream fs-verity. EFSCORRUPTED (EUCLEAN) would say the filesystem's own
 * structure is broken, which it is not.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>

#include "verityfs.h"

/**
 * verityfs_report_corruption() - act on a corrupted block of file data
 * @inode: the verity inode
 * @pos: file offset of the Merkle block that failed
 * @len: its size (the Merkle block size)
 *
 * Counts the corruption for the mount and records it as the mount's last
 * one (sysfs last_corruption/), notifies fanotify FAN_FS_ERROR watchers of
 * the verityfs and of the lower filesystem, and panics when the mount has
 * errors=panic. Called from the read path with the page locked; may sleep
 * for memory (GFP_NOFS).
 */
void verityfs_report_corruption(struct inode *inode, u64 pos, unsigned int len)
{
	struct super_block *sb = inode->i_sb;
	struct verityfs_sb_info *sbi;
	struct verityfs_last_corruption *last;

	if (!verityfs_sb_is_ours(sb))
		return;		/* the self-test's shmem inodes */
	sbi = VERITYFS_SB(sb);
	atomic_long_inc(&sbi->stats.corruptions);
	last = &sbi->last_corruption;
	spin_lock(&last->lock);
	last->ino = inode->i_ino;
	last->pos = pos;
	last->time = ktime_get_real_seconds();
	spin_unlock(&last->lock);
	if (READ_ONCE(sbi->errors) == VERITYFS_ERRORS_PANIC)
		panic(VERITYFS_NAME " (%s, inode %llu): corrupted data at pos=%llu (mounted with errors=panic)\n",
		      sb->s_id, (u64)inode->i_ino, pos);
	verityfs_compat_report_read_error(inode, pos, len, EBADMSG);
	verityfs_compat_report_read_error(verityfs_lower_inode(inode), pos, len, EBADMSG);
}
