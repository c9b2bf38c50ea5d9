// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs fuzzer: block verification against a hostile tree.
 * Copyright (C) 2026 The verityfs authors
 *
 * The input picks a geometry, builds a correct tree, then corrupts the tree,
 * the data or the root and makes the tree-read callback fail at chosen
 * reads. The oracle: a block verifies exactly when nothing on its path was
 * changed; otherwise it fails with -EBADMSG, or with the callback's error.
 */
#include <stdlib.h>

#include <verityfs/core.h>
#include "../lib/host_hash.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

struct fz {
	const struct verityfs_core_params *p;
	const u8 *data_src, *tree_src;
	u64 data_size;
	u8 *tree;		/* possibly corrupted */
	u32 fail_mask;		/* read n fails with -EIO if bit n % 32 set */
	unsigned int reads;
	int failed;
};

static int fz_read_data(void *ctx, u64 pos, void *buf, size_t len)
{
	struct fz *z = ctx;
	size_t i;

	for (i = 0; i < len; i++)	/* a pattern cheap to regenerate */
		((u8 *)buf)[i] = (u8)((pos + i) * 131 + ((pos + i) >> 9));
	(void)z;
	return 0;
}

static int fz_sink(void *ctx, unsigned int level, u64 index, const void *block)
{
	struct fz *z = ctx;

	(void)level;
	if (index >= z->p->tree_blocks)
		abort();
	memcpy(z->tree + index * z->p->block_size, block, z->p->block_size);
	return 0;
}

static int fz_read_tree(void *ctx, u64 index, void *buf)
{
	struct fz *z = ctx;

	check(index < z->p->tree_blocks);
	if (z->fail_mask & (1U << (z->reads++ % 32))) {
		z->failed = 1;
		return -EIO;
	}
	memcpy(buf, z->tree + index * z->p->block_size, z->p->block_size);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	static u8 ws[(8 + 64) * 4096], scratch[8 * 4096];
	static u8 tree[1 << 20], clean[1 << 20], data[1 << 18], block[4096];
	struct verityfs_core_hash_pos path[8];
	struct verityfs_core_params p;
	struct fz z;
	u8 salt[32], root[64], bad_root[64];
	u32 alg, log, salt_size, n;
	u64 fsize, di;
	size_t i;
	int err;

	if (size < 12)
		return 0;
	alg = 1 + (in[0] & 1);
	log = 10 + in[1] % 3;				/* 1K..4K keeps runs fast */
	salt_size = in[2] % 33;
	fsize = ((u64)in[3] << 8 | in[4]) * (1 + (in[5] & 3));	/* up to 256 KiB */
	if (fsize > sizeof(data))
		fsize = sizeof(data);
	memset(salt, in[6], sizeof(salt));
	n = in[7] | (u32)in[8] << 8 | (u32)in[9] << 16 | (u32)in[10] << 24;

	err = verityfs_core_init_params(&p, verityfs_core_host_hash(alg, in[11] & 1), alg,
					log, salt, salt_size, fsize);
	check(!err);
	if (p.tree_size > sizeof(tree) || !p.data_blocks)
		return 0;
	memset(&z, 0, sizeof(z));
	z.p = &p;
	z.tree = tree;
	check(!verityfs_core_build_tree(&p, fz_read_data, &z, fz_sink, &z, ws, sizeof(ws), root));
	memcpy(clean, tree, p.tree_size);
	fz_read_data(NULL, 0, data, fsize);
	memset(data + fsize, 0, (p.data_blocks << log) - fsize);
	memcpy(bad_root, root, sizeof(root));
	z.fail_mask = (in[11] & 2) ? n : 0;

	/* Corruptions: 3-byte records (target/offset, xor). */
	for (i = 12; i + 3 <= size; i += 3) {
		u32 off = (u32)in[i] << 8 | in[i + 1];
		u8 x = in[i + 2];

		switch (off & 3) {
		case 0:
		case 1:
			if (p.tree_size)
				tree[(off * 7919u) % p.tree_size] ^= x;
			break;
		case 2:
			data[(off * 104729u) % fsize] ^= x;
			break;
		case 3:
			bad_root[(off >> 2) % p.digest_size] ^= x;
			break;
		}
	}

	for (di = 0; di < p.data_blocks && di < 64; di++) {
		unsigned int l;
		int expect = 0;

		check(!verityfs_core_hash_path(&p, di, path));
		for (l = 0; l < p.num_levels; l++)
			if (memcmp(tree + path[l].index * p.block_size,
				   clean + path[l].index * p.block_size, p.block_size))
				expect = -EBADMSG;
		if (memcmp(bad_root, root, p.digest_size))
			expect = -EBADMSG;
		memcpy(block, data + (di << log), p.block_size);
		fz_read_data(NULL, di << log, scratch, p.block_size);
		if ((di << log) + p.block_size > fsize)
			memset(scratch + (fsize - (di << log)), 0,
			       (di << log) + p.block_size - fsize);
		if (memcmp(block, scratch, p.block_size))
			expect = -EBADMSG;

		z.failed = 0;
		err = verityfs_core_verify_block(&p, bad_root, di, block, fz_read_tree, &z,
						 scratch, NULL);
		if (z.failed)
			check(err == -EIO);
		else
			check(err == expect);
	}
	return 0;
}
