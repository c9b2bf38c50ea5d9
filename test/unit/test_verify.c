// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs unit tests: block verification. Every single-byte flip in the data
 * and in every tree block must fail exactly the blocks it affects with
 * -EBADMSG while every other block still verifies.
 * Copyright (C) 2026 The verityfs authors
 *
 * usage: test_verify [--quick]
 * Small block sizes flip every byte; large ones, where every byte would cost
 * O(B^2) hashing, flip a stride that walks all byte offsets modulo 64 plus
 * the first and last bytes of each block (the TAP line says which).
 */
#include "tap.h"

int vx_tap_num, vx_tap_failed;
static int quick;

struct vcase {
	struct verityfs_core_params p;
	u8 *data;		/* data_blocks * B, zero-padded */
	u8 *tree;		/* tree_size */
	u8 root[64];
	u8 *scratch;
	/* verified-block cache, as the module keeps it */
	u8 *verified;
	unsigned long marks;
};

static int tree_read(void *ctx, u64 index, void *buf)
{
	struct vcase *c = ctx;

	if (index >= c->p.tree_blocks)
		return -EIO;
	memcpy(buf, c->tree + index * c->p.block_size, c->p.block_size);
	return 0;
}

static void mark(void *ctx, unsigned int level, u64 index)
{
	struct vcase *c = ctx;

	(void)level;
	c->verified[index] = 1;
	c->marks++;
}

/*
 * Verify one block the way the module will: climb until a cached verified
 * block (or the root), then verify the path top-down through
 * verityfs_core_verify_path(), caching what passed.
 */
static int verify_cached(struct vcase *c, u64 di)
{
	struct verityfs_core_hash_pos path[8];
	const void *blocks[8];
	unsigned int l, nverify;

	if (verityfs_core_hash_path(&c->p, di, path))
		return -EINVAL;
	for (nverify = 0; nverify < c->p.num_levels; nverify++)
		if (c->verified[path[nverify].index])
			break;
	for (l = 0; l < c->p.num_levels && l <= nverify; l++)
		blocks[l] = c->tree + path[l].index * c->p.block_size;
	return verityfs_core_verify_path(&c->p, c->root, di,
					 c->data + di * c->p.block_size, blocks,
					 nverify, mark, c, NULL);
}

static int setup(struct vcase *c, u32 alg, u32 bs, u32 salt_size, u64 size, u64 seed)
{
	static const u8 salt[32] = "verityfs-verify-test-salt-32byte";
	struct vx_file f = { .size = size, .seed = seed };
	struct vx_tree t;
	u8 desc[256], dg[64];

	memset(c, 0, sizeof(*c));
	if (vx_build(alg, bs, salt, salt_size, &f, 1, &c->p, c->root, desc, dg, &t))
		return -1;
	c->tree = t.buf;
	c->data = calloc(c->p.data_blocks, bs);
	vx_fill(c->data, 0, size, seed);
	c->scratch = malloc((size_t)c->p.num_levels * bs + 1);
	c->verified = calloc(1, c->p.tree_blocks + 1);
	return 0;
}

static void teardown(struct vcase *c)
{
	free(c->tree);
	free(c->data);
	free(c->scratch);
	free(c->verified);
}

/* All blocks: uncached path (read callback) and cached path must agree. */
static int verify_all(struct vcase *c, u64 bad_lo, u64 bad_hi, int *diag)
{
	u64 di;

	memset(c->verified, 0, c->p.tree_blocks + 1);
	for (di = 0; di < c->p.data_blocks; di++) {
		int want = (di >= bad_lo && di < bad_hi) ? -EBADMSG : 0;
		int e1 = verityfs_core_verify_block(&c->p, c->root, di,
						    c->data + di * c->p.block_size,
						    tree_read, c, c->scratch, NULL);
		int e2 = verify_cached(c, di);

		if (e1 != want || e2 != want) {
			if ((*diag)++ < 5)
				vx_diag("block %llu: got %d/%d want %d",
					(unsigned long long)di, e1, e2, want);
			return 0;
		}
	}
	return 1;
}

static u64 stride_for(u64 flips, u64 cost_per_flip)
{
	u64 budget = quick ? (16ULL << 20) : (96ULL << 20);
	u64 s = flips * cost_per_flip / budget;

	return s <= 1 ? 1 : (s | 1);	/* odd: walks every offset mod 64 */
}

static int want_flip(u64 off, unsigned int bs, u64 stride)
{
	unsigned int in = off & (bs - 1);

	return stride == 1 || off % stride == 0 || in < 2 || in >= bs - 2;
}

static void run_case(u32 alg, u32 bs, u32 salt_size, u64 size)
{
	struct vcase c;
	u64 off, s_data, s_tree, flips = 0, di, lo, hi;
	int ok = 1, diag = 0;

	if (setup(&c, alg, bs, salt_size, size, 77 + size)) {
		vx_ok(0, "setup %s bs=%u", vx_alg_name(alg), bs);
		return;
	}
	ok = verify_all(&c, 0, 0, &diag);
	/* Tree blocks are hashed at most once per pass when cached. */
	if (ok && c.marks != c.p.tree_blocks) {
		vx_diag("marks %lu != tree blocks %llu", c.marks,
			(unsigned long long)c.p.tree_blocks);
		ok = 0;
	}

	/* Data flips: the flipped block fails, the others keep verifying. */
	s_data = stride_for(size, bs);
	for (di = 0; ok && di < c.p.data_blocks; di++) {
		u64 end = (di + 1) * bs < size ? (di + 1) * bs : size;

		for (off = di * bs; ok && off < end; off++) {
			int e;

			if (!want_flip(off, bs, s_data))
				continue;
			flips++;
			c.data[off] ^= 0x01;
			e = verityfs_core_verify_block(&c.p, c.root, di, c.data + di * bs,
						       tree_read, &c, c.scratch, NULL);
			if (e != -EBADMSG) {
				vx_diag("data flip at %llu: %d", (unsigned long long)off, e);
				ok = 0;
			}
			c.data[off] ^= 0x01;
		}
		/* Other blocks with this block corrupted (first byte flipped). */
		c.data[di * bs] ^= 0x80;
		ok = ok && verify_all(&c, di, di + 1, &diag);
		c.data[di * bs] ^= 0x80;
	}

	/* Tree flips: every data block under the flipped block fails. */
	s_tree = stride_for(c.p.tree_size, size + c.p.tree_size);
	for (off = 0; ok && off < c.p.tree_size; off++) {
		u64 tb = off / bs, span = 1;
		unsigned int level;

		if (!want_flip(off, bs, s_tree))
			continue;
		flips++;
		/* Which level is tb in, and which data blocks hang under it? */
		for (level = 0; level < c.p.num_levels; level++)
			if (tb >= c.p.level_start[level] &&
			    tb < c.p.level_start[level] + c.p.level_blocks[level])
				break;
		for (unsigned int l = 0; l <= level; l++)
			span *= c.p.hashes_per_block;
		lo = (tb - c.p.level_start[level]) * span;
		hi = lo + span < c.p.data_blocks ? lo + span : c.p.data_blocks;
		c.tree[off] ^= 0x01;
		ok = verify_all(&c, lo, hi, &diag);
		c.tree[off] ^= 0x01;
	}
	/* Root hash flip: everything fails. */
	c.root[3] ^= 0x10;
	ok = ok && verify_all(&c, 0, c.p.data_blocks, &diag);
	c.root[3] ^= 0x10;

	vx_ok(ok, "verify %s bs=%u salt=%u size=%llu (%u levels): %llu flips (%s), failures confined to affected blocks",
	      vx_alg_name(alg), bs, salt_size, (unsigned long long)size, c.p.num_levels,
	      (unsigned long long)flips,
	      s_data == 1 && s_tree == 1 ? "every byte" : "strided sample");
	teardown(&c);
}

static void test_api_edges(void)
{
	struct vcase c;
	struct verityfs_core_verify_fail fail;
	const void *blocks[8];
	int good = 0;

	setup(&c, 1, 1024, 0, 5000, 3);
	blocks[0] = c.tree;
	good += verityfs_core_verify_path(&c.p, c.root, 5, c.data, blocks, 1, NULL, NULL, NULL) == -EINVAL;
	good += verityfs_core_verify_path(&c.p, c.root, 0, c.data, blocks, 2, NULL, NULL, NULL) == -EINVAL;
	c.data[10] ^= 1;
	good += verityfs_core_verify_path(&c.p, c.root, 0, c.data, blocks, 1, NULL, NULL, &fail) == -EBADMSG &&
		fail.level == -1 && memcmp(fail.want, fail.real, 32);
	c.data[10] ^= 1;
	c.tree[100] ^= 1;
	good += verityfs_core_verify_path(&c.p, c.root, 0, c.data, blocks, 1, NULL, NULL, &fail) == -EBADMSG &&
		fail.level == 0 && fail.tree_block == 0;
	/* A trusted anchor is not re-hashed: with nverify=0 the tree block is believed. */
	good += verityfs_core_verify_path(&c.p, c.root, 1, c.data + 1024, blocks, 0, NULL, NULL, NULL) == 0;
	teardown(&c);
	/* Empty file: no block to verify. */
	setup(&c, 1, 4096, 0, 0, 1);
	good += verityfs_core_verify_block(&c.p, c.root, 0, c.scratch, tree_read, &c, c.scratch, NULL) == -EINVAL;
	teardown(&c);
	vx_ok(good == 6, "verify API: past EOF and bad nverify -EINVAL, failure report, trusted anchor, empty file (%d/6)", good);
}

/*
 * The two halves that 2-way verification uses: the tree path gives the
 * data block's digest, two blocks hashed together, each compared alone.
 */
static void test_split_halves(void)
{
	struct vcase c;
	struct verityfs_core_verify_fail fail;
	const void *blocks[8];
	u8 want0[64], want1[64], real0[64], real1[64];
	int good = 0;

	setup(&c, 1, 1024, 0, 5000, 3);
	blocks[0] = c.tree;
	good += verityfs_core_verify_tree(&c.p, c.root, 0, blocks, 1, NULL, NULL, want0, NULL) == 0;
	good += verityfs_core_verify_tree(&c.p, c.root, 1, blocks, 1, NULL, NULL, want1, NULL) == 0;
	good += verityfs_core_hash_blocks2(&c.p, c.data, c.data + 1024, real0, real1) == 0;
	good += verityfs_core_verify_data(&c.p, want0, real0, NULL) == 0 &&
		verityfs_core_verify_data(&c.p, want1, real1, NULL) == 0;
	/* One bad block of a pair fails alone. */
	c.data[1024 + 7] ^= 1;
	good += verityfs_core_hash_blocks2(&c.p, c.data, c.data + 1024, real0, real1) == 0 &&
		verityfs_core_verify_data(&c.p, want0, real0, NULL) == 0 &&
		verityfs_core_verify_data(&c.p, want1, real1, &fail) == -EBADMSG && fail.level == -1;
	c.data[1024 + 7] ^= 1;
	/* A bad tree block fails the path, before any data is hashed. */
	c.tree[100] ^= 1;
	good += verityfs_core_verify_tree(&c.p, c.root, 0, blocks, 1, NULL, NULL, want0, &fail) == -EBADMSG &&
		fail.level == 0;
	c.tree[100] ^= 1;
	good += verityfs_core_verify_tree(&c.p, c.root, 0, blocks, 2, NULL, NULL, want0, NULL) == -EINVAL;
	teardown(&c);
	vx_ok(good == 7, "verify halves: tree path digest, pair hashed 2-way, a bad block of the pair alone, bad tree, bad nverify (%d/7)", good);
}

int main(int argc, char **argv)
{
	static const u32 algs[] = { 1, 2 };
	unsigned int a;
	u32 bs;

	quick = argc > 1 && !strcmp(argv[1], "--quick");
	printf("TAP version 13\n");
	test_api_edges();
	test_split_halves();
	for (a = 0; a < 2; a++)
		for (bs = 1024; bs <= 65536; bs <<= 1) {
			u64 arity = bs / verityfs_core_hash_digest_size(algs[a]);

			/* One level, three data blocks, partial last block. */
			run_case(algs[a], bs, a ? 32 : 1, 2 * bs + 17);
			/* Two levels, when small enough to flip through. */
			if ((arity + 1) * bs <= (quick ? (256u << 10) : (1u << 20)))
				run_case(algs[a], bs, 0, (arity + 1) * bs + 100);
		}
	printf("1..%d\n", vx_tap_num);
	return vx_tap_failed ? 1 : 0;
}
