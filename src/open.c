// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: opening verity files, and their in-memory state.
 *
 * The state (struct verityfs_verity_info) is made once per inode, when the file is
 * first opened after the module met it, and is immutable afterwards: the tree
 * geometry, the root hash, the file digest, the descriptor and signature as
 * stored, the open tree file and the hash-block cache. Here too: how a file
 * becomes a verity inode (its ops), the open and release of its files, and
 * its file operations, whose reads come from the verified page cache.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "verityfs.h"
#include "hash.h"

/**
 * verityfs_open_create_info() - validate a stored descriptor and build the state
 * @inode: the upper inode (its size and block size are checked against it)
 * @desc: the descriptor as stored, 256 bytes plus the appended signature
 * @desc_size: bytes of @desc
 * @tree_file: open file holding the Merkle tree; a reference is taken
 * @tree_pos: byte offset of the tree's first block in @tree_file
 *
 * Performs upstream's open-time checks: a descriptor that is malformed, names
 * an unknown algorithm, has a block size this inode cannot use, or records a
 * size other than the file's, makes the file unopenable; so does a signature
 * that fails verification, or its absence where the mount requires one.
 *
 * Return: the state, or ERR_PTR: -EMSGSIZE (descriptor too large), -EINVAL
 * (any invalid field, size mismatch), -EFBIG (tree too deep), -ENOPKG
 * (hash algorithm unavailable), -ENOMEM; or the signature errors of
 * verityfs_sig_check(): -EPERM, -ENOKEY, -EKEYREJECTED, -EBADMSG.
 */
struct verityfs_verity_info *verityfs_open_create_info(struct inode *inode, const void *desc,
						       size_t desc_size, struct file *tree_file,
						       loff_t tree_pos)
{
	struct verityfs_core_desc_info di;
	struct verityfs_verity_info *vi;
	int err;

	err = verityfs_core_desc_parse(desc, desc_size, i_size_read(inode), &di);
	if (err)
		return ERR_PTR(err);

	vi = kzalloc(sizeof(*vi), GFP_KERNEL);
	if (!vi)
		return ERR_PTR(-ENOMEM);
	err = verityfs_core_init_params(&vi->params, verityfs_hash_get(di.hash_alg),
					di.hash_alg, di.log_blocksize, di.salt,
					di.salt_size, di.data_size);
	if (err)
		goto err_free;
	/*
	 * Upstream's rule: Merkle blocks no larger than a page (verity inodes
	 * use order-0 pages, each holding whole blocks) nor than the
	 * filesystem block.
	 */
	err = -EINVAL;
	if (vi->params.block_size > PAGE_SIZE ||
	    vi->params.log_blocksize > inode->i_blkbits)
		goto err_free;

	memcpy(vi->root_hash, di.root_hash, vi->params.digest_size);
	err = verityfs_core_file_digest(vi->params.hash, desc, vi->file_digest);
	if (err)
		goto err_free;
	/* At enable and at every load: what is committed must pass the policy. */
	err = verityfs_sig_check(inode, di.hash_alg, vi->file_digest,
				 (const u8 *)desc + VERITYFS_CORE_DESC_SIZE, di.sig_size);
	if (err)
		goto err_free;

	err = -ENOMEM;
	vi->desc = kmemdup(desc, VERITYFS_CORE_DESC_SIZE + di.sig_size, GFP_KERNEL);
	if (!vi->desc)
		goto err_free;
	/* READ_VERITY_METADATA returns the descriptor as hashed: sig_size zero. */
	verityfs_core_desc_clear_sig_size(vi->desc);
	vi->sig_size = di.sig_size;

	vi->hcache = verityfs_hcache_alloc(vi->params.block_size);
	if (!vi->hcache)
		goto err_free;
	vi->tree_file = get_file(tree_file);
	vi->tree_pos = tree_pos;
	return vi;

err_free:
	verityfs_open_free_info(vi);
	return ERR_PTR(err);
}

/**
 * verityfs_open_free_info() - release a verity file's state
 * @vi: the state, or NULL
 */
void verityfs_open_free_info(struct verityfs_verity_info *vi)
{
	if (!vi)
		return;
	verityfs_hcache_free(vi->hcache);
	kvfree(vi->spare_scratch);
	if (vi->tree_file)
		fput(vi->tree_file);
	if (vi->data_file)
		fput(vi->data_file);
	kfree(vi->desc);
	kfree(vi);
}

/* Upstream serves O_DIRECT reads of verity files from the verified cache. */
static ssize_t read_verified_iter(struct kiocb *iocb, struct iov_iter *to)
{
	iocb->ki_flags &= ~IOCB_DIRECT;
	return generic_file_read_iter(iocb, to);
}

/* The lower file of an upper verity file, opened for reading as the mounter. */
static struct file *open_lower_for_reading(struct file *file)
{
	const struct cred *old;
	struct file *lower;

	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	lower = dentry_open(&VERITYFS_E(file->f_path.dentry)->lower_path,
			    O_RDONLY | O_LARGEFILE, current_cred());
	verityfs_lower_revert_creds(old);
	return lower;
}

/*
 * Whether the lower's pages can be dropped after reading: anything with a
 * backing store (a device, a server) re-reads them. tmpfs and ramfs pages
 * are the file's only copy.
 */
static bool lower_can_reread(struct super_block *lower_sb)
{
	return lower_sb->s_magic != TMPFS_MAGIC && lower_sb->s_magic != RAMFS_MAGIC;
}

/**
 * verityfs_open_attach_data() - open the lower data file for the read path
 * @vi: the verity state being built
 * @file: an open upper file of the verity inode
 *
 * Return: 0 or the error of opening the lower file.
 */
int verityfs_open_attach_data(struct verityfs_verity_info *vi, struct file *file)
{
	struct file *f = open_lower_for_reading(file);

	if (IS_ERR(f))
		return PTR_ERR(f);
	vi->data_file = f;
	vi->drop_lower_cache = lower_can_reread(file_inode(f)->i_sb);
	vi->read_direct = vi->drop_lower_cache && verityfs_compat_can_odirect(f);
	return 0;
}

/**
 * verityfs_open_init_inode() - make an inode a verity inode (ops, flag)
 * @inode: a regular upper inode whose lower file has a verity record
 */
void verityfs_open_init_inode(struct inode *inode)
{
	set_bit(VERITYFS_IF_VERITY, &VERITYFS_I(inode)->flags);
	inode->i_fop = &verityfs_open_verity_fops;
	inode->i_mapping->a_ops = &verityfs_read_aops;
}

/**
 * verityfs_open_publish() - a file just became a verity file
 * @inode: the upper inode
 * @vi: its verity state; the inode owns it from now on
 *
 * Files already open keep reading through the lower file, as upstream keeps
 * pages cached before enabling; every new open gets the verified path.
 */
void verityfs_open_publish(struct inode *inode, struct verityfs_verity_info *vi)
{
	truncate_inode_pages(inode->i_mapping, 0);
	/* Pairs with smp_load_acquire() in the open and read paths. */
	smp_store_release(&VERITYFS_I(inode)->verity, vi);
	verityfs_open_init_inode(inode);
}

static int open_verity_file(struct inode *inode, struct file *file)
{
	struct verityfs_inode *vinode = VERITYFS_I(inode);
	struct verityfs_verity_info *vi;
	struct file *lower;
	int err;

	/* Verity files are immutable. */
	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	if (!smp_load_acquire(&vinode->verity)) {
		vi = verityfs_store_load(inode, verityfs_lower_dentry(file->f_path.dentry));
		if (IS_ERR(vi))
			return PTR_ERR(vi);
		if (!vi)		/* the record vanished behind our back */
			return -EINVAL;
		err = verityfs_open_attach_data(vi, file);
		if (err) {
			verityfs_open_free_info(vi);
			return err;
		}
		/* Loaded by a concurrent open first: keep that one. */
		if (cmpxchg_release(&vinode->verity, NULL, vi))
			verityfs_open_free_info(vi);
	}
	/* Loaded at an earlier open: the lower may have been resized since. */
	err = verityfs_store_check_size(inode, smp_load_acquire(&vinode->verity)->params.data_size);
	if (err)
		return err;
	/* The lower file serves the ioctls and attributes, never the data. */
	lower = open_lower_for_reading(file);
	if (IS_ERR(lower))
		return PTR_ERR(lower);
	file->private_data = lower;
	verityfs_count_file_opened(inode->i_sb);
	return 0;
}

/*
 * A file's verifiers keep one scratch area between reads (verifier.c); it
 * goes at close, so that only files in use hold one, not every cached inode.
 */
static int release_verity_file(struct inode *inode, struct file *file)
{
	struct verityfs_verity_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);

	if (vi)
		kvfree(xchg(&vi->spare_scratch, NULL));
	return verityfs_file_release(inode, file);
}

const struct file_operations verityfs_open_verity_fops = {
	.open		= open_verity_file,
	.release	= release_verity_file,
	.llseek		= generic_file_llseek,
	.read_iter	= read_verified_iter,
	.mmap		= generic_file_readonly_mmap,
#ifdef HAVE_FILEMAP_SPLICE_READ
	.splice_read	= filemap_splice_read,
#else
	.splice_read	= generic_file_splice_read,
#endif
	.fsync		= noop_fsync,
	.unlocked_ioctl	= verityfs_ioctl_dispatch,
	.compat_ioctl	= compat_ptr_ioctl,
};
