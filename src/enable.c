// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: FS_IOC_ENABLE_VERITY, turning a plain file into a verity file.
 *
 * Upstream's checks run in upstream's order and give its errnos. The Merkle
 * tree is built from the lower file's data by the portable core, without the
 * inode lock (a large file takes minutes), while writers are shut out of
 * both the upper and the lower inode. The object holding the descriptor and
 * the tree is written and synced before the file's record is set, so a crash
 * leaves either the plain file or a complete verity file; the lower file's
 * bytes are never changed.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <verityfs/format.h>
#include "verityfs.h"
#include "hash.h"

/* Bytes read from the lower file per callback of the tree build. */
#define ENABLE_READ_CHUNK	(256 * 1024)

struct enable_ctx {
	struct file *data;	/* the lower file, read in order */
	struct file *obj;	/* the new object in the store */
	loff_t tree_offset;	/* where the tree starts in @obj */
	unsigned int block_size;
};

static int read_data(void *ctx, u64 pos, void *buf, size_t len)
{
	struct enable_ctx *ec = ctx;
	loff_t p = pos;
	ssize_t n;

	/* Upstream's promise: a fatal signal stops even a huge enable at once. */
	if (fatal_signal_pending(current))
		return -EINTR;
	n = kernel_read(ec->data, buf, len, &p);
	if (n < 0)
		return n;
	/* Writers are shut out, so a short read means the file changed size. */
	return n == len ? 0 : -EINVAL;
}

static int write_tree_block(void *ctx, unsigned int level, u64 index, const void *block)
{
	struct enable_ctx *ec = ctx;
	loff_t pos = ec->tree_offset + index * ec->block_size;
	ssize_t n = kernel_write(ec->obj, block, ec->block_size, &pos);

	return n == ec->block_size ? 0 : (n < 0 ? n : -EIO);
}

/* What an enable needs before it takes the enabling state (upstream's order). */
struct enable_prep {
	struct verityfs_core_params *p;
	void *desc;		/* the descriptor, the signature after it */
	u32 desc_size;
};

static void free_prep(struct enable_prep *ep)
{
	kfree(ep->desc);
	kfree(ep->p);
}

/*
 * The salt and the signature from the caller's memory (EFAULT), then the
 * tree's geometry (EINVAL, ENOPKG, EFBIG): upstream makes these checks
 * before it looks for an existing verity file or a running enable.
 */
static int prepare_enable(struct file *filp, const struct verityfs_core_enable_req *req,
			  struct enable_prep *ep)
{
	struct inode *inode = file_inode(filp);
	struct inode *lower = verityfs_lower_inode(inode);
	u8 salt[VERITYFS_CORE_MAX_SALT_SIZE];
	int err;

	ep->desc_size = VERITYFS_CORE_DESC_SIZE + req->sig_size;
	ep->p = kzalloc(sizeof(*ep->p), GFP_KERNEL);
	ep->desc = kzalloc(ep->desc_size, GFP_KERNEL);
	if (!ep->p || !ep->desc)
		return -ENOMEM;
	if (copy_from_user(salt, u64_to_user_ptr(req->salt_ptr), req->salt_size) ||
	    copy_from_user((u8 *)ep->desc + VERITYFS_CORE_DESC_SIZE,
			   u64_to_user_ptr(req->sig_ptr), req->sig_size))
		return -EFAULT;

	/*
	 * Writers are shut out of the lower inode now: its size is the data's.
	 * The upper inode may not have seen a change made on the lower.
	 */
	verityfs_inode_copy_attr(inode, lower);
	err = verityfs_core_init_params(ep->p, verityfs_hash_get(req->hash_alg), req->hash_alg,
					req->log_blocksize, salt, req->salt_size,
					i_size_read(lower));
	if (err)
		return err;
	/* Upstream's limits: no larger than a page, nor than a filesystem block. */
	if (ep->p->block_size > PAGE_SIZE || ep->p->log_blocksize > inode->i_blkbits)
		return -EINVAL;
	return 0;
}

/* Build, store, validate and commit; the caller holds the enabling state. */
static int build_and_commit(struct file *filp, const struct verityfs_core_enable_req *req,
			    const struct enable_prep *ep)
{
	struct inode *inode = file_inode(filp);
	struct super_block *sb = inode->i_sb;
	const struct verityfs_core_params *p = ep->p;
	struct verityfs_verity_info *vi = NULL;
	struct enable_ctx ec = { .data = verityfs_file_lower(filp) };
	u8 root[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u32 desc_size = ep->desc_size;
	void *desc = ep->desc, *ws = NULL;
	size_t ws_size;
	u64 id = 0;
	int err;

	err = -ENOMEM;
	ws_size = verityfs_core_build_ws_size(p, ENABLE_READ_CHUNK);
	ws = kvmalloc(ws_size, GFP_KERNEL);
	if (!ws)
		goto out;

	err = verityfs_lower_want_write(sb);
	if (err)
		goto out;
	ec.obj = verityfs_store_create(sb, &id);
	if (IS_ERR(ec.obj)) {
		err = PTR_ERR(ec.obj);
		ec.obj = NULL;
		goto out_drop_write;
	}
	ec.tree_offset = round_up(sizeof(struct verityfs_object_header) + desc_size,
				  VERITYFS_TREE_ALIGN);
	ec.block_size = p->block_size;
	err = verityfs_core_build_tree(p, read_data, &ec, write_tree_block, &ec, ws, ws_size, root);
	if (err)
		goto out_remove;
	verityfs_core_desc_encode(p, root, req->sig_size, desc);
	err = verityfs_store_write_head(ec.obj, id, desc, desc_size, ec.tree_offset, p->tree_size);
	if (err)
		goto out_remove;

	/* The same checks as every later open: what is committed must load. */
	vi = verityfs_open_create_info(inode, desc, desc_size, ec.obj, ec.tree_offset);
	if (IS_ERR(vi)) {
		err = PTR_ERR(vi);
		vi = NULL;
		goto out_remove;
	}
	err = verityfs_open_attach_data(vi, sb, &VERITYFS_E(filp->f_path.dentry)->lower_path);
	if (err)
		goto out_remove;
	/*
	 * A mapping of the plain file maps the lower file, which nothing can
	 * make verified afterwards (upstream unmaps and re-verifies instead).
	 */
	err = -ETXTBSY;
	if (mapping_mapped(verityfs_lower_inode(inode)->i_mapping))
		goto out_remove;
	err = verityfs_store_commit(sb, verityfs_lower_dentry(filp->f_path.dentry), vi, id);
	if (err)
		goto out_remove;
	/* Persist the record with the file; failing here leaves a valid verity file. */
	vfs_fsync(ec.data, 0);
	verityfs_open_publish(inode, vi);
	vi = NULL;
	goto out_drop_write;

out_remove:
	verityfs_store_remove(sb, id);
out_drop_write:
	if (ec.obj)
		fput(ec.obj);
	verityfs_lower_drop_write(sb);
out:
	verityfs_open_free_info(vi);
	kvfree(ws);
	return err;
}

/* Shut out writers the way deny_write_access() does, for one inode. */
static bool deny_writers(struct inode *inode)
{
	return atomic_dec_unless_positive(&inode->i_writecount);
}

static void allow_writers(struct inode *inode)
{
	atomic_inc(&inode->i_writecount);
}

/**
 * verityfs_enable_ioctl() - FS_IOC_ENABLE_VERITY
 * @filp: the file, which must be open for reading
 * @uarg: user pointer to a struct fsverity_enable_arg
 *
 * Return: 0, or (in upstream's order) -EFAULT; -EINVAL or -EMSGSIZE for a bad
 * argument; -EACCES, -EPERM or -EROFS without write permission; -EBADF for a
 * file not open for reading; -EPERM for an append-only file; -EISDIR or
 * -EINVAL for a directory or special file; -EROFS; -ETXTBSY while the file
 * has writers, or is memory-mapped when the tree is done; -EEXIST when it is
 * a verity file; -EBUSY while another enable runs; -EINVAL, -ENOPKG or
 * -EFBIG from the tree geometry; -EINTR on a fatal signal; -EPERM, -ENOKEY,
 * -EKEYREJECTED or -EBADMSG from the signature check (verityfs_sig_check());
 * or an I/O error of the lower filesystem.
 */
long verityfs_enable_ioctl(struct file *filp, void __user *uarg)
{
	struct inode *inode = file_inode(filp);
	struct inode *lower = verityfs_lower_inode(inode);
	struct verityfs_inode *vinode = VERITYFS_I(inode);
	u8 arg[VERITYFS_CORE_ENABLE_ARG_SIZE];
	struct verityfs_core_enable_req req;
	struct enable_prep ep = { };
	int err;

	if (copy_from_user(arg, uarg, sizeof(arg)))
		return -EFAULT;
	err = verityfs_core_check_enable_arg(arg, &req);
	if (err)
		return err;
	err = verityfs_compat_inode_permission(inode, MAY_WRITE);
	if (err)
		return err;
	/* An ioctl-only open (access mode 3) cannot read the data. */
	if (!(filp->f_mode & FMODE_READ))
		return -EBADF;
	if (IS_APPEND(inode) || IS_APPEND(lower))
		return -EPERM;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	err = mnt_want_write_file(filp);
	if (err)
		return err;
	err = -ETXTBSY;
	if (!deny_writers(inode))
		goto out_drop_write;
	if (!deny_writers(lower))
		goto out_allow_upper;

	err = prepare_enable(filp, &req, &ep);
	if (err)
		goto out_free;

	/* EEXIST and EBUSY are decided under the inode lock; the build runs without it. */
	verityfs_open_refresh(inode, filp->f_path.dentry, true);
	inode_lock(inode);
	if (verityfs_inode_is_verity(inode))
		err = -EEXIST;
	else if (test_and_set_bit(VERITYFS_IF_ENABLING, &vinode->flags))
		err = -EBUSY;
	else
		err = 0;
	inode_unlock(inode);
	if (!err) {
		err = build_and_commit(filp, &req, &ep);
		clear_bit(VERITYFS_IF_ENABLING, &vinode->flags);
	}
out_free:
	free_prep(&ep);
	allow_writers(lower);
out_allow_upper:
	allow_writers(inode);
out_drop_write:
	mnt_drop_write_file(filp);
	return err;
}
