// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs core: hash algorithm facts and the Merkle tree geometry.
 *
 * verityfs_core_init_params() is the only place that derives the geometry;
 * everything else reads the precomputed fields, as upstream's
 * fsverity_init_merkle_tree_params() intends.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include "core_private.h"

static const struct verityfs_core_alg_info verityfs_core_algs[] = {
	[VERITYFS_CORE_HASH_ALG_SHA256] = {
		.name = "sha256",
		.digest_size = 32,
		.log_digestsize = 5,
		.hash_block_size = 64,
	},
	[VERITYFS_CORE_HASH_ALG_SHA512] = {
		.name = "sha512",
		.digest_size = 64,
		.log_digestsize = 6,
		.hash_block_size = 128,
	},
};

const struct verityfs_core_alg_info *verityfs_core_alg_info(u32 alg)
{
	/* A u32 compare, so 257 never aliases SHA-256 through a u8 field. */
	if (alg >= ARRAY_SIZE(verityfs_core_algs) ||
	    !verityfs_core_algs[alg].name)
		return NULL;
	return &verityfs_core_algs[alg];
}

unsigned int verityfs_core_hash_digest_size(u32 alg)
{
	const struct verityfs_core_alg_info *ai = verityfs_core_alg_info(alg);

	return ai ? ai->digest_size : 0;
}

const char *verityfs_core_hash_name(u32 alg)
{
	const struct verityfs_core_alg_info *ai = verityfs_core_alg_info(alg);

	return ai ? ai->name : NULL;
}

/*
 * Hash the salt, zero-padded to one compression-function block, and keep the
 * backend state: every tree and data block hash then starts from a copy of
 * it, which saves one compression per block (upstream does the same).
 */
static int verityfs_core_prehash_salt(struct verityfs_core_params *p)
{
	const struct verityfs_core_hash *h = p->hash;
	u64 state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
	u8 padded[128];
	int err;

	err = h->ops->init(h, state);
	if (err)
		return err;
	if (p->salt_size) {
		memset(padded, 0, sizeof(padded));
		memcpy(padded, p->salt, p->salt_size);
		err = h->ops->update(h, state, padded, p->hash_block_size);
		if (err)
			return err;
	}
	if (h->ops->export)
		return h->ops->export(h, state, p->salted_state);
	memcpy(p->salted_state, state, h->state_size);
	return 0;
}

int verityfs_core_init_params(struct verityfs_core_params *p,
			      const struct verityfs_core_hash *hash, u32 hash_alg,
			      u32 log_blocksize, const u8 *salt, u32 salt_size,
			      u64 data_size)
{
	const struct verityfs_core_alg_info *ai;
	u64 blocks, offset;
	unsigned int level;
	int err;

	memset(p, 0, sizeof(*p));

	ai = verityfs_core_alg_info(hash_alg);
	if (!ai)
		return -EINVAL;
	if (!hash)
		return -ENOPKG;
	if (hash->alg != hash_alg || !hash->ops || !hash->ops->init ||
	    !hash->ops->update || !hash->ops->final ||
	    hash->state_size > VERITYFS_CORE_HASH_STATE_SIZE ||
	    hash->export_size > VERITYFS_CORE_HASH_STATE_SIZE ||
	    !hash->ops->export != !hash->ops->import)
		return -EINVAL;

	/*
	 * 1 KiB is upstream's floor; 64 KiB its largest page size. Blocks must
	 * also hold two hashes, which any size in range does.
	 */
	if (log_blocksize < VERITYFS_CORE_MIN_LOG_BLOCKSIZE ||
	    log_blocksize > VERITYFS_CORE_MAX_LOG_BLOCKSIZE)
		return -EINVAL;
	if (salt_size > VERITYFS_CORE_MAX_SALT_SIZE)
		return -EINVAL;

	p->hash = hash;
	p->hash_alg = hash_alg;
	p->digest_size = ai->digest_size;
	p->log_digestsize = ai->log_digestsize;
	p->hash_block_size = ai->hash_block_size;
	p->log_blocksize = log_blocksize;
	p->block_size = 1U << log_blocksize;
	p->log_arity = log_blocksize - ai->log_digestsize;
	p->hashes_per_block = 1U << p->log_arity;
	p->salt_size = salt_size;
	if (salt_size)
		memcpy(p->salt, salt, salt_size);
	p->data_size = data_size;

	err = verityfs_core_prehash_salt(p);
	if (err)
		goto fail;

	/*
	 * Round up without overflow: data_size + block_size - 1 wraps for
	 * sizes near U64_MAX (upstream's 80f6e3080bfc).
	 */
	blocks = (data_size >> log_blocksize) +
		 ((data_size & (p->block_size - 1)) != 0);
	p->data_blocks = blocks;
	while (blocks > 1) {
		if (p->num_levels >= VERITYFS_CORE_MAX_LEVELS) {
			err = -EFBIG;
			goto fail;
		}
		blocks = (blocks >> p->log_arity) +
			 ((blocks & (p->hashes_per_block - 1)) != 0);
		p->level_blocks[p->num_levels++] = blocks;
	}

	/* The highest level is stored first, level 0 last. */
	offset = 0;
	for (level = p->num_levels; level-- > 0; ) {
		p->level_start[level] = offset;
		offset += p->level_blocks[level];
	}
	p->tree_blocks = offset;
	/* At most 8 levels of at most 2^54 blocks each: this cannot wrap. */
	p->tree_size = offset << log_blocksize;
	return 0;

fail:
	memset(p, 0, sizeof(*p));
	return err;
}

int verityfs_core_hash_path(const struct verityfs_core_params *p, u64 data_index,
			    struct verityfs_core_hash_pos *path)
{
	u64 idx = data_index;
	unsigned int level;

	if (data_index >= p->data_blocks)
		return -EINVAL;
	for (level = 0; level < p->num_levels; level++) {
		path[level].index = p->level_start[level] + (idx >> p->log_arity);
		path[level].offset = (unsigned int)(idx & (p->hashes_per_block - 1))
				     << p->log_digestsize;
		idx >>= p->log_arity;
	}
	return 0;
}
