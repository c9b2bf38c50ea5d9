// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs core: verification of one data block against the Merkle tree.
 *
 * The caller supplies the block's path of tree blocks from level 0 up to the
 * first one it already trusts (or to the top, trusting only the root hash).
 * Each block is hashed and compared with the hash its parent holds, top
 * down, so a block is only reported verified once everything above it was.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include "core_private.h"

static int verityfs_core_mismatch(const struct verityfs_core_params *p,
				  int level, u64 index, const u8 *want,
				  const u8 *real,
				  struct verityfs_core_verify_fail *fail)
{
	if (fail) {
		memset(fail, 0, sizeof(*fail));
		fail->level = level;
		fail->tree_block = index;
		memcpy(fail->want, want, p->digest_size);
		memcpy(fail->real, real, p->digest_size);
	}
	return -EBADMSG;
}

int verityfs_core_verify_tree(const struct verityfs_core_params *p,
			      const u8 *root_hash, u64 data_index,
			      const void *const *blocks, unsigned int nverify,
			      verityfs_core_mark_fn mark, void *mark_ctx, u8 *want,
			      struct verityfs_core_verify_fail *fail)
{
	struct verityfs_core_hash_pos path[VERITYFS_CORE_MAX_LEVELS];
	u8 real[VERITYFS_CORE_MAX_DIGEST_SIZE];
	unsigned int level;
	int err;

	if (nverify > p->num_levels)
		return -EINVAL;
	err = verityfs_core_hash_path(p, data_index, path);
	if (err)
		return err;

	/* The anchor: the root hash, or the hash inside a trusted block. */
	if (nverify == p->num_levels)
		memcpy(want, root_hash, p->digest_size);
	else
		memcpy(want, (const u8 *)blocks[nverify] + path[nverify].offset,
		       p->digest_size);

	for (level = nverify; level-- > 0; ) {
		err = verityfs_core_hash_block(p, blocks[level], real);
		if (err)
			return err;
		if (memcmp(want, real, p->digest_size))
			return verityfs_core_mismatch(p, level, path[level].index,
						      want, real, fail);
		if (mark)
			mark(mark_ctx, level, path[level].index);
		memcpy(want, (const u8 *)blocks[level] + path[level].offset,
		       p->digest_size);
	}
	return 0;
}

int verityfs_core_verify_data(const struct verityfs_core_params *p,
			      const u8 *want, const u8 *real,
			      struct verityfs_core_verify_fail *fail)
{
	if (memcmp(want, real, p->digest_size))
		return verityfs_core_mismatch(p, -1, 0, want, real, fail);
	return 0;
}

int verityfs_core_verify_path(const struct verityfs_core_params *p,
			      const u8 *root_hash, u64 data_index, const void *data,
			      const void *const *blocks, unsigned int nverify,
			      verityfs_core_mark_fn mark, void *mark_ctx,
			      struct verityfs_core_verify_fail *fail)
{
	u8 want[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 real[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	err = verityfs_core_verify_tree(p, root_hash, data_index, blocks, nverify,
					mark, mark_ctx, want, fail);
	if (!err)
		err = verityfs_core_hash_block(p, data, real);
	if (!err)
		err = verityfs_core_verify_data(p, want, real, fail);
	return err;
}

int verityfs_core_verify_block(const struct verityfs_core_params *p,
			       const u8 *root_hash, u64 data_index, const void *data,
			       verityfs_core_read_tree_fn read, void *read_ctx,
			       void *scratch, struct verityfs_core_verify_fail *fail)
{
	struct verityfs_core_hash_pos path[VERITYFS_CORE_MAX_LEVELS];
	const void *blocks[VERITYFS_CORE_MAX_LEVELS];
	unsigned int level;
	int err;

	err = verityfs_core_hash_path(p, data_index, path);
	if (err)
		return err;
	for (level = 0; level < p->num_levels; level++) {
		u8 *buf = (u8 *)scratch + (size_t)level * p->block_size;

		err = read(read_ctx, path[level].index, buf);
		if (err)
			return err;
		blocks[level] = buf;
	}
	return verityfs_core_verify_path(p, root_hash, data_index, data, blocks,
					 p->num_levels, NULL, NULL, fail);
}
