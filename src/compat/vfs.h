/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: inode, super block and file helpers of the VFS.
 *
 * Every wrapper has today's (7.x) shape.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_VFS_H
#define _VX_COMPAT_VFS_H

#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/fcntl.h>
#include <linux/splice.h>

#include "idmap.h"

/*
 * 6.8 added AT_GETATTR_NOSEC: a ->getattr called from vfs_getattr_nosec()
 * must stay without security checks, and vfs_getattr() WARNs on the flag.
 */
static inline int verityfs_compat_vfs_getattr(const struct path *path, struct kstat *stat,
					      u32 mask, unsigned int flags)
{
#ifdef AT_GETATTR_NOSEC
	if (flags & AT_GETATTR_NOSEC)
		return vfs_getattr_nosec(path, stat, mask, flags);
#endif
	return vfs_getattr(path, stat, mask, flags);
}

/* 6.6 made i_ctime private behind inode_get_ctime() (Debian's 5.10 and 6.1 have it too). */
static inline struct timespec64 verityfs_compat_inode_ctime(const struct inode *inode)
{
#ifdef HAVE_INODE_GET_CTIME
	return inode_get_ctime(inode);
#else
	return inode->i_ctime;
#endif
}

/*
 * The three timestamps of @src to @dest: 6.6 made i_ctime private (Debian's
 * 5.10 and 6.1 have its accessors too), 6.7 i_atime and i_mtime.
 */
static inline void verityfs_compat_copy_times(struct inode *dest, const struct inode *src)
{
#ifdef HAVE_INODE_GET_ATIME
	inode_set_atime_to_ts(dest, inode_get_atime(src));
	inode_set_mtime_to_ts(dest, inode_get_mtime(src));
#else
	dest->i_atime = src->i_atime;
	dest->i_mtime = src->i_mtime;
#endif
#ifdef HAVE_INODE_GET_CTIME
	inode_set_ctime_to_ts(dest, inode_get_ctime(src));
#else
	dest->i_ctime = src->i_ctime;
#endif
}

/*
 * The splice copy the VFS falls back to for copy_file_range(), for a
 * ->copy_file_range() that wants it: 6.7 exported it as splice_file_range();
 * before, generic_copy_file_range() was the same (and both are called with
 * the out file's write access held, as ->copy_file_range() is).
 */
static inline ssize_t verityfs_compat_splice_copy(struct file *in, loff_t pos_in,
						  struct file *out, loff_t pos_out, size_t len)
{
#ifdef HAVE_SPLICE_FILE_RANGE
	return splice_file_range(in, &pos_in, out, &pos_out, len);
#else
	return generic_copy_file_range(in, pos_in, out, pos_out, len, 0);
#endif
}

/* 6.5 replaced generic_file_splice_read() with copy_splice_read() (through ->read_iter). */
static inline ssize_t verityfs_compat_copy_splice_read(struct file *in, loff_t *ppos,
						       struct pipe_inode_info *pipe,
						       size_t len, unsigned int flags)
{
#ifdef HAVE_COPY_SPLICE_READ
	return copy_splice_read(in, ppos, pipe, len, flags);
#else
	return generic_file_splice_read(in, ppos, pipe, len, flags);
#endif
}

/* 6.5 replaced generic_file_splice_read() with filemap_splice_read() (page cache). */
static inline ssize_t verityfs_compat_filemap_splice_read(struct file *in, loff_t *ppos,
							  struct pipe_inode_info *pipe,
							  size_t len, unsigned int flags)
{
#ifdef HAVE_FILEMAP_SPLICE_READ
	return filemap_splice_read(in, ppos, pipe, len, flags);
#else
	return generic_file_splice_read(in, ppos, pipe, len, flags);
#endif
}

/* 6.17: super_block.s_d_op became private behind set_default_d_op(). */
static inline void verityfs_compat_set_default_d_op(struct super_block *sb,
						    const struct dentry_operations *ops)
{
#ifdef HAVE_SET_DEFAULT_D_OP
	set_default_d_op(sb, ops);
#else
	sb->s_d_op = ops;
#endif
}

/* 6.19: i_state is read through inode_state_read_once() (polyfill, same meaning). */
#ifndef HAVE_INODE_STATE_READ_ONCE
#define inode_state_read_once(inode)	READ_ONCE((inode)->i_state)
#endif

/* 6.18: generic_delete_inode() was renamed inode_just_drop() (polyfill, same function). */
#ifndef HAVE_INODE_JUST_DROP
#define inode_just_drop	generic_delete_inode
#endif

/* 5.13 added fileattr_get/set; 6.17 renamed struct fileattr to struct file_kattr. */
#if defined(HAVE_FILE_KATTR)
#include <linux/fileattr.h>
typedef struct file_kattr verityfs_fileattr_t;
#elif defined(HAVE_FILEATTR)
#include <linux/fileattr.h>
typedef struct fileattr verityfs_fileattr_t;
#endif

/*
 * O_DIRECT: 6.0 added FMODE_CAN_ODIRECT, set by the VFS for files whose a_ops
 * have ->direct_IO; before that the VFS looked at ->direct_IO itself.
 */
static inline bool verityfs_compat_can_odirect(struct file *file)
{
#ifdef FMODE_CAN_ODIRECT
	return file->f_mode & FMODE_CAN_ODIRECT;
#else
	return file->f_mapping->a_ops && file->f_mapping->a_ops->direct_IO;
#endif
}

/* An upper file can do O_DIRECT exactly when its lower file can. */
static inline void verityfs_compat_match_odirect(struct file *file, struct file *lower)
{
#ifdef FMODE_CAN_ODIRECT
	if (lower->f_mode & FMODE_CAN_ODIRECT)
		file->f_mode |= FMODE_CAN_ODIRECT;
	else
		file->f_mode &= ~FMODE_CAN_ODIRECT;
#endif
}

#endif /* _VX_COMPAT_VFS_H */
