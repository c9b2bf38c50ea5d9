// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: FS_IOC_ENABLE_VERITY, turning a plain file into a verity file, and
 * VERITYFS_IOC_ENABLE_FROM_TREE, the same from a tree computed elsewhere.
 *
 * Upstream's checks run in upstream's order and give its errnos. The Merkle
 * tree is built from the lower file's data by the portable core (or copied
 * from the caller's tree file), without the inode lock (a large file takes
 * minutes), while writers are shut out of both the upper and the lower
 * inode. The object holding the descriptor and the tree is written and
 * synced before the file's record is set, so a crash leaves either the plain
 * file or a complete verity file; the lower file's bytes are never changed.
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
#include <verityfs/ioctl.h>
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
	/* FS_IOC_ENABLE_VERITY: the request, the tree is built from the data */
	const struct verityfs_core_enable_req *req;
	/* VERITYFS_IOC_ENABLE_FROM_TREE: the argument and the caller's tree */
	const struct verityfs_enable_tree_arg *targ;
	struct file *tree;	/* NULL for a file without a tree */
};

static void free_prep(struct enable_prep *ep)
{
	if (ep->tree)
		fput(ep->tree);
	kfree(ep->desc);
	kfree(ep->p);
}

/* Copy the caller's tree into the object: as much work as its size, none per data byte. */
static int copy_tree(struct enable_ctx *ec, const struct enable_prep *ep)
{
	loff_t from = ep->targ->tree_offset, to = ec->tree_offset;
	u64 left = ep->p->tree_size;
	ssize_t n = 0;
	void *buf;

	buf = kvmalloc(ENABLE_READ_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (left) {
		size_t len = min_t(u64, left, ENABLE_READ_CHUNK);

		n = -EINTR;
		if (fatal_signal_pending(current))
			break;
		n = kernel_read(ep->tree, buf, len, &from);
		if (n != len) {
			n = n < 0 ? n : -EINVAL;	/* shorter than the geometry */
			break;
		}
		n = kernel_write(ec->obj, buf, len, &to);
		if (n != len) {
			n = n < 0 ? n : -EIO;
			break;
		}
		left -= len;
		n = 0;
	}
	kvfree(buf);
	return n;
}

/* Upstream's limits: blocks no larger than a page, nor than a filesystem block. */
static int check_block_size(struct inode *inode, const struct verityfs_core_params *p)
{
	return p->block_size > PAGE_SIZE || p->log_blocksize > inode->i_blkbits ? -EINVAL : 0;
}

/*
 * The salt and the signature from the caller's memory (EFAULT), then the
 * tree's geometry (EINVAL, ENOPKG, EFBIG): upstream makes these checks
 * before it looks for an existing verity file or a running enable.
 */
static int prepare_enable(struct file *filp, struct enable_prep *ep)
{
	const struct verityfs_core_enable_req *req = ep->req;
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
	return check_block_size(inode, ep->p);
}

/*
 * The descriptor and signature from the caller's memory (EFAULT), the tree
 * file (EBADF, EINVAL), then the descriptor against the file: its size
 * (EINVAL) and its tree's geometry (EINVAL, ENOPKG, EFBIG), and a tree
 * file long enough for that geometry (EINVAL).
 */
static int prepare_from_tree(struct file *filp, struct enable_prep *ep)
{
	const struct verityfs_enable_tree_arg *arg = ep->targ;
	struct inode *inode = file_inode(filp);
	struct inode *lower = verityfs_lower_inode(inode);
	struct verityfs_core_desc_info di;
	__le32 sig_size;
	int err;

	ep->desc_size = VERITYFS_CORE_DESC_SIZE + arg->sig_size;
	ep->p = kzalloc(sizeof(*ep->p), GFP_KERNEL);
	ep->desc = kzalloc(ep->desc_size, GFP_KERNEL);
	if (!ep->p || !ep->desc)
		return -ENOMEM;
	if (copy_from_user(ep->desc, u64_to_user_ptr(arg->desc_ptr), VERITYFS_CORE_DESC_SIZE) ||
	    copy_from_user((u8 *)ep->desc + VERITYFS_CORE_DESC_SIZE,
			   u64_to_user_ptr(arg->sig_ptr), arg->sig_size))
		return -EFAULT;
	/* As `fsverity digest --out-descriptor` writes it: the signature is not in it. */
	memcpy(&sig_size, (u8 *)ep->desc + 4, sizeof(sig_size));
	if (sig_size)
		return -EINVAL;
	sig_size = cpu_to_le32(arg->sig_size);
	memcpy((u8 *)ep->desc + 4, &sig_size, sizeof(sig_size));

	if (arg->tree_fd >= 0) {
		ep->tree = fget(arg->tree_fd);
		if (!ep->tree)
			return -EBADF;
		if (!(ep->tree->f_mode & FMODE_READ))
			return -EBADF;
		if (!S_ISREG(file_inode(ep->tree)->i_mode))
			return -EINVAL;
	}

	verityfs_inode_copy_attr(inode, lower);
	err = verityfs_core_desc_parse(ep->desc, ep->desc_size, i_size_read(lower), &di);
	if (err)
		return err;
	err = verityfs_core_init_params(ep->p, verityfs_hash_get(di.hash_alg), di.hash_alg,
					di.log_blocksize, di.salt, di.salt_size, di.data_size);
	if (err)
		return err;
	err = check_block_size(inode, ep->p);
	if (err)
		return err;
	if (ep->p->tree_size &&
	    (!ep->tree || arg->tree_offset > i_size_read(file_inode(ep->tree)) ||
	     i_size_read(file_inode(ep->tree)) - arg->tree_offset < ep->p->tree_size))
		return -EINVAL;
	return 0;
}

/* Build, store, validate and commit; the caller holds the enabling state. */
static int build_and_commit(struct file *filp, const struct enable_prep *ep)
{
	struct inode *inode = file_inode(filp);
	struct super_block *sb = inode->i_sb;
	const struct verityfs_core_params *p = ep->p;
	struct verityfs_verity_info *vi = NULL;
	struct enable_ctx ec = { .data = verityfs_file_lower(filp) };
	u8 root[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 head_digest[VERITYFS_HEAD_DIGEST_SIZE];
	u32 desc_size = ep->desc_size;
	struct file *obj;
	void *desc = ep->desc, *ws = NULL;
	size_t ws_size = 0;
	u64 id = 0;
	int err;

	err = -ENOMEM;
	if (ep->req) {
		ws_size = verityfs_core_build_ws_size(p, ENABLE_READ_CHUNK);
		ws = kvmalloc(ws_size, GFP_KERNEL);
		if (!ws)
			goto out;
	}

	err = verityfs_lower_want_write(sb);
	if (err)
		goto out;
	ec.obj = verityfs_store_create(sb, verityfs_lower_inode(inode), &id);
	if (IS_ERR(ec.obj)) {
		err = PTR_ERR(ec.obj);
		ec.obj = NULL;
		goto out_drop_write;
	}
	ec.tree_offset = round_up(sizeof(struct verityfs_object_header) + desc_size,
				  VERITYFS_TREE_ALIGN);
	ec.block_size = p->block_size;
	if (ep->req) {
		err = verityfs_core_build_tree(p, read_data, &ec, write_tree_block, &ec, ws,
					       ws_size, root);
		if (!err)
			verityfs_core_desc_encode(p, root, ep->req->sig_size, desc);
	} else {
		err = copy_tree(&ec, ep);
	}
	if (err)
		goto out_remove;
	err = verityfs_store_write_head(ec.obj, id, desc, desc_size, ec.tree_offset, p->tree_size,
					head_digest);
	if (err)
		goto out_remove;
	obj = verityfs_store_reopen(sb, ec.obj);
	if (IS_ERR(obj)) {
		err = PTR_ERR(obj);
		goto out_remove;
	}
	fput(ec.obj);
	ec.obj = obj;

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
	err = verityfs_store_commit(sb, verityfs_lower_dentry(filp->f_path.dentry),
				    p->data_size, id, head_digest);
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

/*
 * The checks and steps both ioctls share, in upstream's order after the
 * argument's own checks: the caller's write permission, a file open for
 * reading, not append-only, a regular file, a writable mount, no writers;
 * then @prepare; then EEXIST and EBUSY under the inode lock, and the build
 * without it.
 */
static long enable_file(struct file *filp, struct enable_prep *ep,
			int (*prepare)(struct file *filp, struct enable_prep *ep))
{
	struct inode *inode = file_inode(filp);
	struct inode *lower = verityfs_lower_inode(inode);
	struct verityfs_inode *vinode = VERITYFS_I(inode);
	int err;

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

	err = prepare(filp, ep);
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
		err = build_and_commit(filp, ep);
		clear_bit(VERITYFS_IF_ENABLING, &vinode->flags);
	}
out_free:
	free_prep(ep);
	allow_writers(lower);
out_allow_upper:
	allow_writers(inode);
out_drop_write:
	mnt_drop_write_file(filp);
	return err;
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
 * -EPERM or -ENOTDIR for a metadata store refused (logged); -EDQUOT or
 * -ENOSPC when the owner's quota or the filesystem cannot take the tree; or
 * an I/O error of the lower filesystem.
 */
long verityfs_enable_ioctl(struct file *filp, void __user *uarg)
{
	u8 arg[VERITYFS_CORE_ENABLE_ARG_SIZE];
	struct verityfs_core_enable_req req;
	struct enable_prep ep = { .req = &req };
	int err;

	if (copy_from_user(arg, uarg, sizeof(arg)))
		return -EFAULT;
	err = verityfs_core_check_enable_arg(arg, &req);
	if (err)
		return err;
	return enable_file(filp, &ep, prepare_enable);
}

/**
 * verityfs_enable_from_tree_ioctl() - VERITYFS_IOC_ENABLE_FROM_TREE
 * @filp: the file, which must be open for reading
 * @uarg: user pointer to a struct verityfs_enable_tree_arg
 *
 * The descriptor names the tree's root hash, and so the file digest: the
 * data and the tree are verified against it as they are read, never here.
 *
 * Return: 0, or the errors of FS_IOC_ENABLE_VERITY (verityfs_enable_ioctl()),
 * with the argument's and the descriptor's checks of include/verityfs/ioctl.h.
 */
long verityfs_enable_from_tree_ioctl(struct file *filp, void __user *uarg)
{
	struct verityfs_enable_tree_arg arg;
	struct enable_prep ep = { .targ = &arg };

	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.version != 1 || memchr_inv(arg.__reserved, 0, sizeof(arg.__reserved)) ||
	    arg.desc_size != VERITYFS_CORE_DESC_SIZE)
		return -EINVAL;
	if (arg.sig_size > VERITYFS_CORE_MAX_SIG_SIZE)
		return -EMSGSIZE;
	return enable_file(filp, &ep, prepare_from_tree);
}
