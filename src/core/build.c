// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs core: single-pass Merkle tree construction.
 *
 * Data is read once, in order. Each level keeps one partly filled block in
 * the caller's workspace; when a block fills up it is hashed, handed to the
 * sink, and its hash moves one level up. At the end the partial blocks are
 * zero-padded and flushed bottom-up. Memory is num_levels blocks plus the
 * read buffer, whatever the file size.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include "core_private.h"

struct verityfs_core_builder {
	const struct verityfs_core_params *p;
	verityfs_core_sink_fn sink;
	void *sink_ctx;
	u8 *level_buf[VERITYFS_CORE_MAX_LEVELS];
	unsigned int level_fill[VERITYFS_CORE_MAX_LEVELS];	/* bytes used */
	u64 level_next[VERITYFS_CORE_MAX_LEVELS];		/* blocks emitted */
	u8 *root_hash;
	bool have_root;
};

size_t verityfs_core_build_ws_size(const struct verityfs_core_params *p,
				   size_t read_chunk)
{
	size_t chunk = read_chunk & ~((size_t)p->block_size - 1);

	if (chunk < p->block_size)
		chunk = p->block_size;
	return (size_t)p->num_levels * p->block_size + chunk;
}

/* Hash a finished block of @level, pass it to the sink, reset the buffer. */
static int verityfs_core_emit(struct verityfs_core_builder *b,
			      unsigned int level, u8 *digest)
{
	const struct verityfs_core_params *p = b->p;
	u8 *buf = b->level_buf[level];
	int err;

	/* More blocks than the geometry allows means the data grew: refuse. */
	if (b->level_next[level] >= p->level_blocks[level])
		return -EINVAL;
	memset(buf + b->level_fill[level], 0,
	       p->block_size - b->level_fill[level]);
	err = verityfs_core_hash_block(p, buf, digest);
	if (err)
		return err;
	if (b->sink) {
		err = b->sink(b->sink_ctx, level,
			      p->level_start[level] + b->level_next[level], buf);
		if (err)
			return err;
	}
	b->level_next[level]++;
	b->level_fill[level] = 0;
	return 0;
}

/* Append @digest to @level, carrying full blocks upward. */
static int verityfs_core_push(struct verityfs_core_builder *b,
			      unsigned int level, const u8 *digest)
{
	const struct verityfs_core_params *p = b->p;
	u8 carry[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	while (level < p->num_levels) {
		memcpy(b->level_buf[level] + b->level_fill[level], digest,
		       p->digest_size);
		b->level_fill[level] += p->digest_size;
		if (b->level_fill[level] < p->block_size)
			return 0;
		err = verityfs_core_emit(b, level, carry);
		if (err)
			return err;
		digest = carry;
		level++;
	}
	/* Only one hash may ever reach the top: the root. */
	if (b->have_root)
		return -EINVAL;
	memcpy(b->root_hash, digest, p->digest_size);
	b->have_root = true;
	return 0;
}

/*
 * With a backend that hashes many blocks at once, level-0 digests are
 * written straight into the level-0 buffer, as many as it has room for.
 */
static int verityfs_core_hash_chunk_many(struct verityfs_core_builder *b,
					 const u8 *data, u64 nblocks)
{
	const struct verityfs_core_params *p = b->p;
	const struct verityfs_core_hash *h = p->hash;
	u8 carry[VERITYFS_CORE_MAX_DIGEST_SIZE];
	int err;

	while (nblocks) {
		unsigned int room = (p->block_size - b->level_fill[0]) >> p->log_digestsize;
		unsigned int n = nblocks < room ? (unsigned int)nblocks : room;

		err = h->ops->hash_blocks(h, p->salted_state, data, p->block_size, n,
					  b->level_buf[0] + b->level_fill[0]);
		if (err)
			return err;
		b->level_fill[0] += n << p->log_digestsize;
		if (b->level_fill[0] == p->block_size) {
			err = verityfs_core_emit(b, 0, carry);
			if (!err)
				err = verityfs_core_push(b, 1, carry);
			if (err)
				return err;
		}
		data += (size_t)n << p->log_blocksize;
		nblocks -= n;
	}
	return 0;
}

static int verityfs_core_hash_chunk(struct verityfs_core_builder *b,
				    const u8 *data, u64 nblocks)
{
	const struct verityfs_core_params *p = b->p;
	u8 d1[VERITYFS_CORE_MAX_DIGEST_SIZE], d2[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u64 i;
	int err;

	/* A file of one block has no level 0: its digest is the root. */
	if (p->hash->ops->hash_blocks && p->num_levels)
		return verityfs_core_hash_chunk_many(b, data, nblocks);
	/* Pairs of independent blocks let a 2-way backend overlap them. */
	for (i = 0; i + 1 < nblocks; i += 2) {
		err = verityfs_core_hash_blocks2(p, data, data + p->block_size,
						 d1, d2);
		if (!err)
			err = verityfs_core_push(b, 0, d1);
		if (!err)
			err = verityfs_core_push(b, 0, d2);
		if (err)
			return err;
		data += 2 * (size_t)p->block_size;
	}
	if (i < nblocks) {
		err = verityfs_core_hash_block(p, data, d1);
		if (!err)
			err = verityfs_core_push(b, 0, d1);
		if (err)
			return err;
	}
	return 0;
}

int verityfs_core_build_tree(const struct verityfs_core_params *p,
			     verityfs_core_read_fn read, void *read_ctx,
			     verityfs_core_sink_fn sink, void *sink_ctx,
			     void *ws, size_t ws_size, u8 *root_hash)
{
	struct verityfs_core_builder b;
	u8 digest[VERITYFS_CORE_MAX_DIGEST_SIZE];
	size_t levels_bytes, chunk;
	unsigned int level;
	u8 *data_buf;
	u64 pos;
	int err;

	memset(root_hash, 0, p->digest_size);
	/* An empty file has an all-zero root and no tree; nothing is hashed. */
	if (p->data_size == 0)
		return 0;

	levels_bytes = (size_t)p->num_levels * p->block_size;
	if (ws_size < verityfs_core_build_ws_size(p, 0))
		return -EINVAL;
	chunk = (ws_size - levels_bytes) & ~((size_t)p->block_size - 1);

	memset(&b, 0, sizeof(b));
	b.p = p;
	b.sink = sink;
	b.sink_ctx = sink_ctx;
	b.root_hash = root_hash;
	for (level = 0; level < p->num_levels; level++)
		b.level_buf[level] = (u8 *)ws + (size_t)level * p->block_size;
	data_buf = (u8 *)ws + levels_bytes;

	for (pos = 0; pos < p->data_size; ) {
		size_t n = chunk;
		size_t padded;

		if (p->data_size - pos < n)
			n = (size_t)(p->data_size - pos);
		err = read(read_ctx, pos, data_buf, n);
		if (err)
			return err;
		/* The last block is hashed zero-padded to a full block. */
		padded = (n + p->block_size - 1) & ~((size_t)p->block_size - 1);
		memset(data_buf + n, 0, padded - n);
		err = verityfs_core_hash_chunk(&b, data_buf,
					       padded >> p->log_blocksize);
		if (err)
			return err;
		pos += n;
	}

	for (level = 0; level < p->num_levels; level++) {
		if (!b.level_fill[level])
			continue;
		err = verityfs_core_emit(&b, level, digest);
		if (!err)
			err = verityfs_core_push(&b, level + 1, digest);
		if (err)
			return err;
	}

	/* The geometry said how many blocks each level has; hold it to that. */
	for (level = 0; level < p->num_levels; level++)
		if (b.level_next[level] != p->level_blocks[level])
			return -EINVAL;
	return b.have_root ? 0 : -EINVAL;
}
