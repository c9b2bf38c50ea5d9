// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs host library: OpenSSL SHA-256/SHA-512 behind the core's ops table.
 * Copyright (C) 2026 The verityfs authors
 *
 * The low-level SHA*_CTX API is used on purpose: its state is plain memory,
 * so the salted state is saved and restored with memcpy (no EVP allocation
 * per block), which is also what lets the 2-way path read the chaining
 * values directly.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <stdbool.h>
#include <cpuid.h>

#include "host_hash.h"

static int host_sha256_init(const struct verityfs_core_hash *h, void *state)
{
	return SHA256_Init(state) == 1 ? 0 : -EINVAL;
}

static int host_sha256_update(const struct verityfs_core_hash *h, void *state,
			      const void *data, size_t len)
{
	return SHA256_Update(state, data, len) == 1 ? 0 : -EINVAL;
}

static int host_sha256_final(const struct verityfs_core_hash *h, void *state,
			     u8 *out)
{
	return SHA256_Final(out, state) == 1 ? 0 : -EINVAL;
}

static int host_sha512_init(const struct verityfs_core_hash *h, void *state)
{
	return SHA512_Init(state) == 1 ? 0 : -EINVAL;
}

static int host_sha512_update(const struct verityfs_core_hash *h, void *state,
			      const void *data, size_t len)
{
	return SHA512_Update(state, data, len) == 1 ? 0 : -EINVAL;
}

static int host_sha512_final(const struct verityfs_core_hash *h, void *state,
			     u8 *out)
{
	return SHA512_Final(out, state) == 1 ? 0 : -EINVAL;
}

/*
 * Two blocks from the same salted state. The state is always at a 64-byte
 * boundary (empty, or one padded salt block), so no buffered bytes remain
 * and the chaining values plus the byte count describe it fully.
 */
static int host_sha256_finup2(const struct verityfs_core_hash *h,
			      const void *saved, const void *data1,
			      const void *data2, size_t len, u8 *out1, u8 *out2)
{
	const SHA256_CTX *c = saved;
	SHA256_CTX s;

	if (c->num == 0 && (len & 63) == 0) {
		u64 bytes = (((u64)c->Nh << 32) | c->Nl) >> 3;

		verityfs_core_host_sha256_x2(c->h, bytes, data1, data2, len,
					     out1, out2);
		return 0;
	}
	s = *c;
	SHA256_Update(&s, data1, len);
	SHA256_Final(out1, &s);
	s = *c;
	SHA256_Update(&s, data2, len);
	SHA256_Final(out2, &s);
	return 0;
}

/*
 * Many blocks from the same salted state, one after the other. SHA-512 gets
 * this op and SHA-256 the 1- and 2-way ones, so the tests and vectors run
 * the tree build's both paths.
 */
static int host_sha512_hash_blocks(const struct verityfs_core_hash *h, const void *saved,
				   const void *data, size_t len, unsigned int n, u8 *out)
{
	const u8 *d = data;
	unsigned int i;

	for (i = 0; i < n; i++) {
		SHA512_CTX s = *(const SHA512_CTX *)saved;

		SHA512_Update(&s, d + (size_t)i * len, len);
		SHA512_Final(out + (size_t)i * SHA512_DIGEST_LENGTH, &s);
	}
	return 0;
}

static const struct verityfs_core_hash_ops host_sha256_ops = {
	.init = host_sha256_init,
	.update = host_sha256_update,
	.final = host_sha256_final,
};

static const struct verityfs_core_hash_ops host_sha256_x2_ops = {
	.init = host_sha256_init,
	.update = host_sha256_update,
	.final = host_sha256_final,
	.finup2 = host_sha256_finup2,
};

static const struct verityfs_core_hash_ops host_sha512_ops = {
	.init = host_sha512_init,
	.update = host_sha512_update,
	.final = host_sha512_final,
	.hash_blocks = host_sha512_hash_blocks,
};

static const struct verityfs_core_hash host_sha256 = {
	.ops = &host_sha256_ops,
	.alg = VERITYFS_CORE_HASH_ALG_SHA256,
	.state_size = sizeof(SHA256_CTX),
	.export_size = sizeof(SHA256_CTX),
};

static const struct verityfs_core_hash host_sha256_x2 = {
	.ops = &host_sha256_x2_ops,
	.alg = VERITYFS_CORE_HASH_ALG_SHA256,
	.state_size = sizeof(SHA256_CTX),
	.export_size = sizeof(SHA256_CTX),
};

static const struct verityfs_core_hash host_sha512 = {
	.ops = &host_sha512_ops,
	.alg = VERITYFS_CORE_HASH_ALG_SHA512,
	.state_size = sizeof(SHA512_CTX),
	.export_size = sizeof(SHA512_CTX),
};

bool verityfs_core_host_has_sha_ni(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return false;
	return (b & (1U << 29)) != 0;	/* CPUID.7.0:EBX.SHA */
}

const struct verityfs_core_hash *verityfs_core_host_hash(u32 alg, bool use_2way)
{
	switch (alg) {
	case VERITYFS_CORE_HASH_ALG_SHA256:
		if (use_2way && verityfs_core_host_has_sha_ni())
			return &host_sha256_x2;
		return &host_sha256;
	case VERITYFS_CORE_HASH_ALG_SHA512:
		return &host_sha512;
	}
	return NULL;
}
