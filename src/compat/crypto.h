/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: the kernel's SHA-256 library and its 2-way interleaving.
 *
 * 6.17 gave lib/crypto a typed SHA-256 context (struct sha256_ctx) and 6.18
 * sha256_finup_2x(), which hashes two messages from one starting context at
 * once, interleaved on CPUs that can (SHA-NI, ARMv8 CE), sequentially
 * elsewhere; sha256_finup_2x_is_optimized() tells which. Native fs-verity
 * and dm-verity use it for data blocks. Before 6.18 verityfs hashes
 * SHA-256 through crypto_shash only (hash.c).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_CRYPTO_H
#define _VX_COMPAT_CRYPTO_H

#ifdef HAVE_SHA256_FINUP_2X
#include <crypto/sha2.h>

static inline bool verityfs_compat_sha256_2x_optimized(void)
{
	return sha256_finup_2x_is_optimized();
}
#else
static inline bool verityfs_compat_sha256_2x_optimized(void)
{
	return false;
}
#endif

#endif /* _VX_COMPAT_CRYPTO_H */
