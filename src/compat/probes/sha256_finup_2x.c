// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.18 added sha256_finup_2x(): two SHA-256 digests from one struct
 * sha256_ctx (the 6.17 lib/crypto API), interleaved where the CPU allows.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <crypto/sha2.h>

bool verityfs_probe(struct sha256_ctx *ctx, const u8 *d1, const u8 *d2, u8 *o1, u8 *o2);
bool verityfs_probe(struct sha256_ctx *ctx, const u8 *d1, const u8 *d2, u8 *o1, u8 *o2)
{
	sha256_init(ctx);
	sha256_update(ctx, d1, 64);
	sha256_finup_2x(ctx, d1, d2, 4096, o1, o2);
	sha256_final(ctx, o1);
	return sha256_finup_2x_is_optimized();
}
