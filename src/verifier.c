// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: verification of file data on its way into the page cache.
 *
 * For each Merkle block of data, walk up the block's hash path to the first
 * tree block that is still in the hash-block cache (trusted because it was
 * verified when it entered), read the tree blocks below it from the tree
 * file, and let the core check the whole chain top down. Every tree block
 * that passes is cached; an evicted block is simply read and checked again.
 * From the first trusted block only the one digest the chain needs is
 * copied, not the whole block.
 *
 * A verifier holds the scratch blocks of one hash path; the read path sets
 * one up per readahead batch rather than per page.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fadvise.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "verityfs.h"

static void cache_verified_block(void *ctx, unsigned int level, u64 index)
{
	struct verityfs_verifier *vc = ctx;

	verityfs_hcache_insert(vc->vi->hcache, index, vc->blocks[level]);
	atomic_long_inc(&verityfs_hcache_stats.verified_blocks);
}

static int read_tree_block(struct verityfs_verity_info *vi, u64 index, void *buf)
{
	unsigned int size = vi->params.block_size;
	loff_t pos = vi->tree_pos + (index << vi->params.log_blocksize);
	ssize_t n;

	n = kernel_read(vi->tree_file, buf, size, &pos);
	if (n == size)
		return 0;
	/* A tree shorter than its descriptor says is damage, not a short file. */
	return n < 0 ? n : -EIO;
}

static void report_corruption(struct inode *inode, struct verityfs_verity_info *vi, u64 pos,
			      const struct verityfs_core_verify_fail *fail)
{
	unsigned int d = vi->params.digest_size;
	const char *alg = verityfs_core_hash_name(vi->params.hash_alg);

	atomic_long_inc(&verityfs_hcache_stats.failures);
	if (fail->level < 0)
		verityfs_err(inode, "FILE CORRUPTED! pos=%llu, level=-1, want_hash=%s:%*phN, real_hash=%s:%*phN",
			     pos, alg, d, fail->want, alg, d, fail->real);
	else
		verityfs_err(inode, "FILE CORRUPTED! pos=%llu, level=%d, tree_block=%llu, want_hash=%s:%*phN, real_hash=%s:%*phN",
			     pos, fail->level, fail->tree_block, alg, d, fail->want,
			     alg, d, fail->real);
	verityfs_report_corruption(inode, pos, vi->params.block_size);
}

/*
 * Verify the tree path of the data block at @pos, up to the first trusted
 * block, and give the digest the block must have.
 */
static int verify_block_path(struct inode *inode, struct verityfs_verifier *vc, u64 pos,
			     u8 *want)
{
	struct verityfs_verity_info *vi = vc->vi;
	const struct verityfs_core_params *p = &vi->params;
	struct verityfs_core_hash_pos path[VERITYFS_CORE_MAX_LEVELS];
	struct verityfs_core_verify_fail fail;
	u64 index = pos >> p->log_blocksize;
	unsigned int level;
	int err;

	err = verityfs_core_hash_path(p, index, path);
	if (err)
		return err;
	/*
	 * Up to the first trusted block, of which the chain needs only the
	 * digest at path[level].offset; everything below it is read from disk.
	 */
	for (level = 0; level < p->num_levels; level++) {
		if (verityfs_hcache_copy(vi->hcache, path[level].index, path[level].offset,
					 vc->blocks[level] + path[level].offset,
					 p->digest_size))
			break;
		err = read_tree_block(vi, path[level].index, vc->blocks[level]);
		if (err)
			return err;
	}
	err = verityfs_core_verify_tree(p, vi->root_hash, index,
					(const void *const *)vc->blocks, level,
					cache_verified_block, vc, want, &fail);
	if (err == -EBADMSG)
		report_corruption(inode, vi, pos, &fail);
	return err;
}

/* The data block's digest against the one its verified path holds. */
static int check_block_digest(struct inode *inode, struct verityfs_verity_info *vi, u64 pos,
			      const u8 *want, const u8 *real)
{
	struct verityfs_core_verify_fail fail;
	int err;

	err = verityfs_core_verify_data(&vi->params, want, real, &fail);
	if (err == -EBADMSG) {
		report_corruption(inode, vi, pos, &fail);
		return err;
	}
	atomic_long_inc(&verityfs_hcache_stats.verified_blocks);
	verityfs_count_blocks_verified(inode->i_sb, 1);
	return 0;
}

/* Hash a data block whose path is verified and check it. */
static int hash_and_check(struct inode *inode, struct verityfs_verity_info *vi, u64 pos,
			  const void *data, const u8 *want)
{
	u8 real[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	err = verityfs_core_hash_block(&vi->params, data, real);
	return err ? err : check_block_digest(inode, vi, pos, want, real);
}

static int verify_one_block(struct inode *inode, struct verityfs_verifier *vc, u64 pos,
			    const void *data)
{
	u8 want[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	err = verify_block_path(inode, vc, pos, want);
	return err ? err : hash_and_check(inode, vc->vi, pos, data, want);
}

/*
 * Two data blocks: both paths first (tree blocks are hashed one at a time,
 * as upstream does), then both blocks in one 2-way hash. Each result is
 * its own: a bad block fails alone.
 */
static void verify_two_blocks(struct inode *inode, struct verityfs_verifier *vc,
			      u64 pos1, const void *data1, u64 pos2, const void *data2,
			      int *err1, int *err2)
{
	struct verityfs_verity_info *vi = vc->vi;
	u8 want1[VERITYFS_CORE_MAX_DIGEST_SIZE], want2[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 real1[VERITYFS_CORE_MAX_DIGEST_SIZE], real2[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	*err1 = verify_block_path(inode, vc, pos1, want1);
	*err2 = verify_block_path(inode, vc, pos2, want2);
	if (*err1 || *err2) {
		if (!*err1)
			*err1 = hash_and_check(inode, vi, pos1, data1, want1);
		if (!*err2)
			*err2 = hash_and_check(inode, vi, pos2, data2, want2);
		return;
	}
	err = verityfs_core_hash_blocks2(&vi->params, data1, data2, real1, real2);
	if (err) {
		*err1 = *err2 = err;
		return;
	}
	*err1 = check_block_digest(inode, vi, pos1, want1, real1);
	*err2 = check_block_digest(inode, vi, pos2, want2, real2);
}

/**
 * verityfs_verifier_prefetch() - start reading the tree blocks a range needs
 * @vi: the file's verity state
 * @pos: file offset of the data about to be verified
 * @len: its length in bytes, not past the end of the data
 *
 * The blocks needed are, level by level, a contiguous run from the first
 * data block's path to the last one's, up to the first level whose blocks
 * are cached. Their reads are started without waiting, so that they are in
 * flight together with the data's; verification then reads them as usual.
 */
void verityfs_verifier_prefetch(struct verityfs_verity_info *vi, u64 pos, u64 len)
{
	const struct verityfs_core_params *p = &vi->params;
	struct verityfs_core_hash_pos first[VERITYFS_CORE_MAX_LEVELS];
	struct verityfs_core_hash_pos last[VERITYFS_CORE_MAX_LEVELS];
	unsigned int level;

	if (!len || verityfs_core_hash_path(p, pos >> p->log_blocksize, first) ||
	    verityfs_core_hash_path(p, (pos + len - 1) >> p->log_blocksize, last))
		return;
	for (level = 0; level < p->num_levels; level++) {
		u64 lo = first[level].index, hi = last[level].index;

		if (verityfs_hcache_contains(vi->hcache, lo) &&
		    verityfs_hcache_contains(vi->hcache, hi))
			break;
		vfs_fadvise(vi->tree_file, vi->tree_pos + (lo << p->log_blocksize),
			    (hi - lo + 1) << p->log_blocksize, POSIX_FADV_WILLNEED);
	}
}

/**
 * verityfs_verifier_init() - set up the scratch space for verifying a file
 * @vc: the verifier to set up
 * @vi: the file's verity state
 *
 * The file keeps one scratch area from the last verifier, so that a stream
 * of small reads does not allocate (and, with init_on_alloc, clear) one
 * per read; concurrent verifiers allocate their own. It is freed when a
 * file of the inode is closed, or with the inode.
 *
 * Return: 0 or -ENOMEM.
 */
int verityfs_verifier_init(struct verityfs_verifier *vc, struct verityfs_verity_info *vi)
{
	const struct verityfs_core_params *p = &vi->params;
	unsigned int level;

	vc->vi = vi;
	vc->scratch = xchg(&vi->spare_scratch, NULL);
	if (!vc->scratch)
		vc->scratch = kvmalloc(max_t(size_t, p->num_levels, 1) * p->block_size, GFP_NOFS);
	if (!vc->scratch)
		return -ENOMEM;
	for (level = 0; level < p->num_levels; level++)
		vc->blocks[level] = vc->scratch + ((size_t)level << p->log_blocksize);
	return 0;
}

/**
 * verityfs_verifier_destroy() - release what verityfs_verifier_init() set up
 * @vc: the verifier
 */
void verityfs_verifier_destroy(struct verityfs_verifier *vc)
{
	if (cmpxchg(&vc->vi->spare_scratch, NULL, vc->scratch))
		kvfree(vc->scratch);
	vc->scratch = NULL;
}

/* A block wholly past EOF is not in the tree: it must be zero. */
static int check_past_eof(struct inode *inode, const struct verityfs_core_params *p, u64 pos,
			  const u8 *block)
{
	if (!memchr_inv(block, 0, p->block_size))
		return 0;
	verityfs_err(inode, "FILE CORRUPTED! data past EOF is not zeroed (pos=%llu)", pos);
	atomic_long_inc(&verityfs_hcache_stats.failures);
	verityfs_report_corruption(inode, pos, p->block_size);
	return -EBADMSG;
}

/* Data blocks are hashed in pairs when the backend has a two-block slot. */
static bool verifier_pairs(const struct verityfs_verifier *vc)
{
	return !!vc->vi->params.hash->ops->finup2;
}

/**
 * verityfs_verifier_check() - verify file data that was just read
 * @inode: the verity inode (for log messages)
 * @vc: a verifier set up for the inode's verity state
 * @pos: file offset of @data, a multiple of the Merkle block size
 * @data: the bytes read, zero-filled past EOF
 * @len: a multiple of the Merkle block size
 *
 * Blocks wholly past EOF are not in the tree and must be zero.
 *
 * Return: 0 when every block verified; -EBADMSG on corruption (logged once,
 * rate-limited); -EINVAL for a misaligned range; or the error of reading
 * the tree.
 */
int verityfs_verifier_check(struct inode *inode, struct verityfs_verifier *vc, u64 pos,
			    const void *data, size_t len)
{
	const struct verityfs_core_params *p = &vc->vi->params;
	size_t done;
	int err = 0;

	if (WARN_ON_ONCE((pos | len) & (p->block_size - 1)))
		return -EINVAL;
	for (done = 0; done < len && !err; done += p->block_size) {
		const u8 *block = (const u8 *)data + done;
		int err2;

		if (pos + done >= p->data_size) {
			err = check_past_eof(inode, p, pos + done, block);
			continue;
		}
		if (verifier_pairs(vc) && done + 2 * p->block_size <= len &&
		    pos + done + p->block_size < p->data_size) {
			verify_two_blocks(inode, vc, pos + done, block,
					  pos + done + p->block_size, block + p->block_size,
					  &err, &err2);
			if (!err)
				err = err2;
			done += p->block_size;
			continue;
		}
		err = verify_one_block(inode, vc, pos + done, block);
	}
	return err;
}

/**
 * verityfs_verifier_check2() - verify two separately mapped pieces of data
 * @inode: the verity inode (for log messages)
 * @vc: a verifier set up for the inode's verity state
 * @pos1: file offset of @data1, a multiple of the Merkle block size
 * @data1: the bytes read, zero-filled past EOF
 * @pos2: file offset of @data2, likewise
 * @data2: likewise
 * @len: bytes of each, a multiple of the Merkle block size
 * @err1: out: the result for @data1, as verityfs_verifier_check()'s
 * @err2: out: the result for @data2
 *
 * For the read path, whose pages are mapped one at a time: pages of one
 * Merkle block each are hashed two at a time where the backend can (6.18+
 * SHA-256); otherwise this is two verityfs_verifier_check() calls.
 */
void verityfs_verifier_check2(struct inode *inode, struct verityfs_verifier *vc,
			      u64 pos1, const void *data1, u64 pos2, const void *data2,
			      size_t len, int *err1, int *err2)
{
	const struct verityfs_core_params *p = &vc->vi->params;

	if (verifier_pairs(vc) && len == p->block_size &&
	    !((pos1 | pos2) & (p->block_size - 1)) &&
	    pos1 < p->data_size && pos2 < p->data_size) {
		verify_two_blocks(inode, vc, pos1, data1, pos2, data2, err1, err2);
		return;
	}
	*err1 = verityfs_verifier_check(inode, vc, pos1, data1, len);
	*err2 = verityfs_verifier_check(inode, vc, pos2, data2, len);
}

/**
 * verityfs_verifier_check_range() - verify file data that was just read, one-shot
 * @inode: the verity inode (for log messages)
 * @vi: its verity state
 * @pos: file offset of @data, a multiple of the Merkle block size
 * @data: the bytes read, zero-filled past EOF
 * @len: a multiple of the Merkle block size
 *
 * Return: as verityfs_verifier_check(), or -ENOMEM.
 */
int verityfs_verifier_check_range(struct inode *inode, struct verityfs_verity_info *vi, u64 pos,
				  const void *data, size_t len)
{
	struct verityfs_verifier vc;
	int err;

	err = verityfs_verifier_init(&vc, vi);
	if (err)
		return err;
	err = verityfs_verifier_check(inode, &vc, pos, data, len);
	verityfs_verifier_destroy(&vc);
	return err;
}
