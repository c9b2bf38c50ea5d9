// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: a verity file's in-memory state, built from its stored descriptor.
 *
 * The state (struct verityfs_info) is made once per inode, when the file is
 * first opened after the module met it, and is immutable afterwards: the tree
 * geometry, the root hash, the file digest, the descriptor and signature as
 * stored, the open tree file and the hash-block cache.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "verityfs.h"
#include "hash.h"

/**
 * verityfs_info_create() - validate a stored descriptor and build the state
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
struct verityfs_info *verityfs_info_create(struct inode *inode, const void *desc,
					   size_t desc_size, struct file *tree_file,
					   loff_t tree_pos)
{
	struct verityfs_core_desc_info di;
	struct verityfs_info *vi;
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
	memset((u8 *)vi->desc + VERITYFS_DESC_SIG_SIZE_OFFSET, 0, sizeof(__le32));
	vi->sig_size = di.sig_size;

	vi->hcache = verityfs_hcache_alloc(vi->params.block_size);
	if (!vi->hcache)
		goto err_free;
	vi->tree_file = get_file(tree_file);
	vi->tree_pos = tree_pos;
	return vi;

err_free:
	verityfs_info_free(vi);
	return ERR_PTR(err);
}

/**
 * verityfs_info_free() - release a verity file's state
 * @vi: the state, or NULL
 */
void verityfs_info_free(struct verityfs_info *vi)
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
