// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: verity files: how an inode learns that it is one, its in-memory
 * state, and the open of its files.
 *
 * Verity belongs to the inode, not to an open file or a mount. An upper
 * inode is a verity inode (VERITYFS_IF_VERITY) from the moment verityfs
 * sees its lower file's record: at lookup, after an enable through this
 * mount, or at the next operation after an enable through any other mount
 * of the same lower (verityfs_open_refresh()). From then on every file
 * operation of every open file of the inode takes the verified path
 * (file.c), whatever fd it comes from.
 *
 * The state (struct verityfs_verity_info) is loaded from the store once per
 * inode, when it is first needed, and is immutable afterwards: the tree
 * geometry, the root hash, the file digest, the descriptor and signature as
 * stored, the open tree and data files and the hash-block cache. It is
 * installed once (cmpxchg) and freed with the inode.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hash.h>
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

/*
 * Enables bump the epoch of their lower inode's bucket after the record is
 * set. An upper inode remembers the bucket's value when it last read its
 * lower file's record, so every mount of the same lower learns of an enable
 * at its next operation, at the cost of one comparison while nothing
 * changes. Buckets keep an enable from making every plain file of the
 * system read its record again.
 */
#define VERITYFS_EPOCH_BITS	6
static atomic_t verityfs_epochs[1 << VERITYFS_EPOCH_BITS];

static atomic_t *epoch_of(const struct inode *lower)
{
	return &verityfs_epochs[hash_ptr((void *)lower, VERITYFS_EPOCH_BITS)];
}

/**
 * verityfs_open_init_inode() - make an inode a verity inode
 * @inode: a regular upper inode whose lower file has a verity record
 *
 * Its page cache becomes the verified one. Plain files never fill theirs
 * (their data is the lower file's), so the mapping is empty here.
 */
void verityfs_open_init_inode(struct inode *inode)
{
	if (test_bit(VERITYFS_IF_VERITY, &VERITYFS_I(inode)->flags))
		return;
	WRITE_ONCE(inode->i_mapping->a_ops, &verityfs_read_aops);
	verityfs_kverity_mark(inode);
	/* Pairs with the test_bit() of verityfs_inode_is_verity() readers. */
	smp_mb__before_atomic();
	set_bit(VERITYFS_IF_VERITY, &VERITYFS_I(inode)->flags);
}

/*
 * Whether the inode must read its lower record again: a plain regular file
 * whose bucket's epoch moved since it last looked, or (@lower_changed) whose
 * lower ctime did. Stores the values seen in @epoch and @ctime. Safe in
 * RCU path walk: reads only, no sleeping.
 */
static bool refresh_needed(struct inode *inode, bool lower_changed, unsigned int *epoch,
			   struct timespec64 *ctime)
{
	struct verityfs_inode *vinode = VERITYFS_I(inode);
	struct inode *lower = READ_ONCE(vinode->lower_inode);

	if (!S_ISREG(inode->i_mode) || verityfs_inode_is_verity(inode) || !lower)
		return false;
	*epoch = atomic_read_acquire(epoch_of(lower));
	*ctime = verityfs_compat_inode_ctime(lower);
	return !test_bit(VERITYFS_IF_SEEN, &vinode->flags) ||
	       READ_ONCE(vinode->seen_epoch) != *epoch ||
	       (lower_changed && !timespec64_equal(ctime, &vinode->seen_ctime));
}

/**
 * verityfs_open_refresh_needed() - would verityfs_open_refresh() look again?
 * @inode: an upper inode
 * @lower_changed: as for verityfs_open_refresh()
 *
 * For RCU path walk, which must not sleep: when this says true, the walk
 * drops to ref-walk, whose revalidation refreshes.
 *
 * Return: true when the inode's lower record must be read again.
 */
bool verityfs_open_refresh_needed(struct inode *inode, bool lower_changed)
{
	struct timespec64 ctime;
	unsigned int epoch;

	return refresh_needed(inode, lower_changed, &epoch, &ctime);
}

/**
 * verityfs_open_refresh() - learn whether a plain file became a verity file
 * @inode: an upper inode
 * @dentry: an upper dentry of it, for the lower path
 * @lower_changed: also look again when the lower inode's ctime moved
 *
 * An enable through any mount bumps the epoch; the record is read again
 * when the epoch moved since the inode last read it. Path operations
 * (lookup, revalidation, open, stat, setattr) pass @lower_changed, so that
 * a record set on the lower directly is seen at the next one too; file
 * operations on open files do not, because every write moves the ctime.
 */
void verityfs_open_refresh(struct inode *inode, struct dentry *dentry, bool lower_changed)
{
	struct verityfs_inode *vinode = VERITYFS_I(inode);
	struct timespec64 ctime;
	unsigned int epoch;

	if (!refresh_needed(inode, lower_changed, &epoch, &ctime))
		return;
	if (verityfs_store_is_verity(inode->i_sb, verityfs_lower_dentry(dentry)))
		verityfs_open_init_inode(inode);
	/* Racing refreshes store equal values; a torn ctime only costs a look. */
	WRITE_ONCE(vinode->seen_epoch, epoch);
	vinode->seen_ctime = ctime;
	set_bit(VERITYFS_IF_SEEN, &vinode->flags);
}

/* A lower file of a verity inode, opened for reading as the mounter. */
static struct file *open_lower_read(struct super_block *sb, const struct path *lower_path)
{
	const struct cred *old;
	struct file *lower;

	old = verityfs_lower_override_creds(sb);
	lower = dentry_open(lower_path, O_RDONLY | O_LARGEFILE | O_NOATIME, current_cred());
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
 * @sb: the verityfs super block
 * @lower_path: the lower file
 *
 * Return: 0 or the error of opening the lower file.
 */
int verityfs_open_attach_data(struct verityfs_verity_info *vi, struct super_block *sb,
			      const struct path *lower_path)
{
	struct file *f = open_lower_read(sb, lower_path);

	if (IS_ERR(f))
		return PTR_ERR(f);
	vi->data_file = f;
	vi->drop_lower_cache = lower_can_reread(file_inode(f)->i_sb);
	vi->read_direct = vi->drop_lower_cache && verityfs_compat_can_odirect(f);
	return 0;
}

/*
 * Install @vi as the inode's state unless another one got there first (an
 * open through another name, a load on another CPU, an enable's publish):
 * both were built from the same committed metadata, so the first one stays
 * and @vi is freed. Returns the state in place.
 */
static struct verityfs_verity_info *install_info(struct inode *inode,
						 struct verityfs_verity_info *vi)
{
	struct verityfs_verity_info *old;

	/* Full barrier: pairs with smp_load_acquire() of the readers. */
	old = cmpxchg(&VERITYFS_I(inode)->verity, NULL, vi);
	if (!old)
		return vi;
	verityfs_open_free_info(vi);
	return old;
}

/**
 * verityfs_open_get_info() - a verity inode's state, loaded on first use
 * @inode: an upper inode with VERITYFS_IF_VERITY set
 * @dentry: an upper dentry of it, for the lower path
 *
 * The load applies this mount's signature policy, so the same file may be
 * readable on one mount and refused on another that requires signatures.
 *
 * Return: the state, or ERR_PTR: the errors of verityfs_store_load()
 * (-EINVAL for damaged or missing metadata, the signature errors), -EINVAL
 * when the record vanished, or the error of opening the lower file.
 */
struct verityfs_verity_info *verityfs_open_get_info(struct inode *inode, struct dentry *dentry)
{
	/* Pairs with the cmpxchg() of install_info(). */
	struct verityfs_verity_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);
	int err;

	if (vi)
		return vi;
	vi = verityfs_store_load(inode, verityfs_lower_dentry(dentry));
	if (IS_ERR(vi))
		return vi;
	if (!vi) {
		verityfs_err(inode, "verity record removed behind verityfs");
		return ERR_PTR(-EINVAL);
	}
	err = verityfs_open_attach_data(vi, inode->i_sb, &VERITYFS_E(dentry)->lower_path);
	if (err) {
		verityfs_open_free_info(vi);
		return ERR_PTR(err);
	}
	return install_info(inode, vi);
}

/**
 * verityfs_open_publish() - a file just became a verity file through this mount
 * @inode: the upper inode
 * @vi: its verity state; the inode owns it from now on
 *
 * The page cache is emptied as upstream does after enabling, the inode
 * becomes a verity inode, and the epoch tells every other mount of the
 * lower (verityfs_open_refresh()). Files already open, here or there, read
 * through the verified page cache from their next operation on.
 */
void verityfs_open_publish(struct inode *inode, struct verityfs_verity_info *vi)
{
	truncate_inode_pages(inode->i_mapping, 0);
	verityfs_open_init_inode(inode);
	install_info(inode, vi);
	/* After the record: a mount that sees the new epoch finds the record. */
	atomic_inc_return_release(epoch_of(verityfs_lower_inode(inode)));
}

/**
 * verityfs_open_verity() - open a file of a verity inode
 * @inode: the upper inode, with VERITYFS_IF_VERITY set
 * @file: the upper file being opened
 *
 * Return: 0; -EPERM for a write open (verity files are immutable) or from
 * the signature policy; the load errors of verityfs_open_get_info(); -EINVAL
 * when the lower data was resized; or the error of opening the lower file.
 */
int verityfs_open_verity(struct inode *inode, struct file *file)
{
	struct verityfs_verity_info *vi;
	struct file *lower;
	int err;

	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	vi = verityfs_open_get_info(inode, file->f_path.dentry);
	if (IS_ERR(vi))
		return PTR_ERR(vi);
	/* Loaded at an earlier open: the lower may have been resized since. */
	err = verityfs_store_check_size(inode, vi->params.data_size);
	if (err)
		return err;
	/* The lower file serves the ioctls and attributes, never the data. */
	lower = open_lower_read(inode->i_sb, &VERITYFS_E(file->f_path.dentry)->lower_path);
	if (IS_ERR(lower))
		return PTR_ERR(lower);
	file->private_data = lower;
	verityfs_kverity_open(inode, file);
	verityfs_count_file_opened(inode->i_sb);
	return 0;
}

/**
 * verityfs_open_release() - what closing a file of a verity inode gives back
 * @inode: the upper inode
 *
 * A file's verifiers keep one scratch area between reads (verifier.c); it
 * goes at close, so that only files in use hold one, not every cached inode.
 */
void verityfs_open_release(struct inode *inode)
{
	/* Pairs with the cmpxchg() of install_info(). */
	struct verityfs_verity_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);

	if (vi)
		kvfree(xchg(&vi->spare_scratch, NULL));
}
