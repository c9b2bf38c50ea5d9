/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs unit tests: TAP output and shared helpers (data pattern, sinks).
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_TEST_UNIT_TAP_H
#define _VX_TEST_UNIT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verityfs/core.h>
#include "../lib/host_hash.h"

extern int vx_tap_num, vx_tap_failed;

/* One TAP line per case group; failures carry a "# " diagnostic before. */
static inline void vx_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	vx_tap_num++;
	if (!cond)
		vx_tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", vx_tap_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#define vx_diag(...) do { printf("# "); printf(__VA_ARGS__); printf("\n"); } while (0)

/* Deterministic, position-addressable file contents (seed 0 = all zeros). */
static inline u64 vx_word(u64 w, u64 seed)
{
	u64 x = (w + seed) * 0x9E3779B97F4A7C15ULL;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 32;
	return x;
}

static inline void vx_fill(u8 *buf, u64 pos, size_t len, u64 seed)
{
	size_t i = 0;

	if (!seed) {
		memset(buf, 0, len);
		return;
	}
	/* Byte k of the file is byte (k & 7) of word k >> 3 (little-endian). */
	while (i < len && ((pos + i) & 7))
		buf[i] = (u8)(vx_word((pos + i) >> 3, seed) >> (8 * ((pos + i) & 7))), i++;
	for (; i + 8 <= len; i += 8) {
		u64 x = vx_word((pos + i) >> 3, seed);

		memcpy(buf + i, &x, 8);
	}
	for (; i < len; i++)
		buf[i] = (u8)(vx_word((pos + i) >> 3, seed) >> (8 * ((pos + i) & 7)));
}

static inline const char *vx_alg_name(u32 alg)
{
	return verityfs_core_hash_name(alg);
}

static inline void vx_hex(char *out, const u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = 0;
}

static inline int vx_unhex(u8 *out, const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (u8)v;
	}
	return (int)(n / 2);
}

/* Reader over the vx_fill() pattern, for the core's build callback. */
struct vx_file {
	u64 size;
	u64 seed;
	u64 lib_pos;		/* libfsverity reads sequentially */
	const u8 *mem;		/* if set, contents come from here */
};

static inline int vx_read(void *ctx, u64 pos, void *buf, size_t len)
{
	struct vx_file *f = ctx;

	if (pos + len > f->size)
		return -EIO;
	if (f->mem)
		memcpy(buf, f->mem + pos, len);
	else
		vx_fill(buf, pos, len, f->seed);
	return 0;
}

/* Sink that stores the tree in a flat buffer (serialized layout). */
struct vx_tree {
	u8 *buf;
	u64 size;
	unsigned int block_size;
	u64 blocks_seen;
	int bad;
};

static inline int vx_sink(void *ctx, unsigned int level, u64 index, const void *block)
{
	struct vx_tree *t = ctx;

	(void)level;
	if ((index + 1) * t->block_size > t->size) {
		t->bad = 1;
		return -EFBIG;
	}
	memcpy(t->buf + index * t->block_size, block, t->block_size);
	t->blocks_seen++;
	return 0;
}

/*
 * Build a file's tree with the core: digest, descriptor and (optionally) the
 * tree. Returns 0 or the core's errno.
 */
static inline int vx_build(u32 alg, u32 bs, const u8 *salt, u32 salt_size,
			   struct vx_file *f, int use_2way,
			   struct verityfs_core_params *p, u8 *root,
			   u8 desc[VERITYFS_CORE_DESC_SIZE], u8 *digest,
			   struct vx_tree *tree)
{
	u32 log = 0;
	size_t ws_size;
	void *ws;
	int err;

	while ((1U << log) < bs)
		log++;
	err = verityfs_core_init_params(p, verityfs_core_host_hash(alg, use_2way),
					alg, log, salt, salt_size, f->size);
	if (err)
		return err;
	ws_size = verityfs_core_build_ws_size(p, 256 * 1024);
	ws = aligned_alloc(64, (ws_size + 63) & ~(size_t)63);
	if (!ws)
		return -ENOMEM;
	if (tree) {
		tree->size = p->tree_size;
		tree->block_size = p->block_size;
		tree->blocks_seen = 0;
		tree->bad = 0;
		tree->buf = calloc(1, p->tree_size ? p->tree_size : 1);
	}
	err = verityfs_core_build_tree(p, vx_read, f, tree ? vx_sink : NULL, tree,
				       ws, ws_size, root);
	free(ws);
	if (err)
		return err;
	verityfs_core_desc_encode(p, root, 0, desc);
	return verityfs_core_file_digest(p->hash, desc, digest);
}

#endif /* _VX_TEST_UNIT_TAP_H */
