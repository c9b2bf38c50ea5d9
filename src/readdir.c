// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: directory file operations: readdir through the lower directory,
 * hiding the metadata store at the root of the mount.
 *
 * Positions are the lower directory's own cookies (telldir/seekdir work as on
 * the lower); d_type and inode numbers are the lower's.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_stack.h>

#include "verityfs.h"

/* A dir_context for the lower directory that relays entries to the caller's. */
struct relay_ctx {
	struct dir_context ctx;
	struct dir_context *caller;
	bool at_root;		/* listing the mount root: hide the store */
};

/* Return: true to go on with the next entry. */
static bool relay_entry(struct dir_context *ctx, const char *name, int len, loff_t pos,
			u64 ino, unsigned int type)
{
	struct relay_ctx *rc = container_of(ctx, struct relay_ctx, ctx);

	if (rc->at_root && len == sizeof(VERITYFS_STORE_NAME) - 1 &&
	    !memcmp(name, VERITYFS_STORE_NAME, len))
		return true;
	rc->caller->pos = pos;
#ifdef HAVE_FILLDIR_BOOL
	return rc->caller->actor(rc->caller, name, len, pos, ino, type);
#else
	return rc->caller->actor(rc->caller, name, len, pos, ino, type) == 0;
#endif
}

/* 6.1 made the actor return bool ("go on") instead of int (0: go on). */
#ifdef HAVE_FILLDIR_BOOL
static bool relay_actor(struct dir_context *ctx, const char *name, int len, loff_t pos,
			u64 ino, unsigned int type)
{
	return relay_entry(ctx, name, len, pos, ino, type);
}
#else
static int relay_actor(struct dir_context *ctx, const char *name, int len, loff_t pos,
		       u64 ino, unsigned int type)
{
	return relay_entry(ctx, name, len, pos, ino, type) ? 0 : -EINVAL;
}
#endif

static int list_lower_dir(struct file *file, struct dir_context *ctx)
{
	struct file *lower = file->private_data;
	struct inode *inode = file_inode(file);
	struct relay_ctx rc;
	const struct cred *old;
	int err;

	rc.ctx = *ctx;
	rc.ctx.actor = relay_actor;
	rc.caller = ctx;
	rc.at_root = IS_ROOT(file->f_path.dentry);

	lower->f_pos = ctx->pos;
	old = verityfs_lower_override_creds(inode->i_sb);
	err = iterate_dir(lower, &rc.ctx);
	verityfs_lower_revert_creds(old);
	ctx->pos = rc.ctx.pos;
	/* The lower directory is open O_NOATIME: the verityfs mount decides. */
	file_accessed(file);
	return err;
}

static int open_lower_dir(struct inode *inode, struct file *file)
{
	return verityfs_file_open_lower(file);
}

const struct file_operations verityfs_readdir_fops = {
	.open		= open_lower_dir,
	.release	= verityfs_file_release,
	.llseek		= verityfs_file_llseek,
	.read		= generic_read_dir,
	.iterate_shared	= list_lower_dir,
	.fsync		= verityfs_file_fsync,
	.unlocked_ioctl	= verityfs_ioctl_dispatch,
	.compat_ioctl	= verityfs_ioctl_compat,
};
