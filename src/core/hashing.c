// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs core: block hashing on top of the backend's ops table.
 *
 * Every Merkle block hash is "restore the salted state, feed the block,
 * finish"; no per-block init and no re-hash of the salt.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include "core_private.h"

int verityfs_core_hash_start(const struct verityfs_core_params *p, void *state)
{
	const struct verityfs_core_hash *h = p->hash;

	if (h->ops->import)
		return h->ops->import(h, state, p->salted_state);
	memcpy(state, p->salted_state, h->state_size);
	return 0;
}

int verityfs_core_hash_block(const struct verityfs_core_params *p,
			     const void *block, u8 *out)
{
	const struct verityfs_core_hash *h = p->hash;
	u64 state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
	int err;

	err = verityfs_core_hash_start(p, state);
	if (!err)
		err = h->ops->update(h, state, block, p->block_size);
	if (!err)
		err = h->ops->final(h, state, out);
	return err;
}

int verityfs_core_hash_blocks2(const struct verityfs_core_params *p,
			       const void *b1, const void *b2, u8 *out1, u8 *out2)
{
	const struct verityfs_core_hash *h = p->hash;
	int err;

	if (h->ops->finup2)
		return h->ops->finup2(h, p->salted_state, b1, b2, p->block_size,
				      out1, out2);
	err = verityfs_core_hash_block(p, b1, out1);
	if (!err)
		err = verityfs_core_hash_block(p, b2, out2);
	return err;
}

int verityfs_core_hash_buf(const struct verityfs_core_hash *h, const void *data,
			   size_t len, u8 *out)
{
	u64 state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
	int err;

	if (h->state_size > sizeof(state))
		return -EINVAL;
	err = h->ops->init(h, state);
	if (!err && len)
		err = h->ops->update(h, state, data, len);
	if (!err)
		err = h->ops->final(h, state, out);
	return err;
}
