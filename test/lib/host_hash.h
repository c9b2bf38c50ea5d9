/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs host library: OpenSSL backend for the core's hash ops table.
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_TEST_LIB_HOST_HASH_H
#define _VX_TEST_LIB_HOST_HASH_H

#include <verityfs/core.h>

/**
 * verityfs_core_host_hash() - the host backend for one algorithm
 * @alg: VERITYFS_CORE_HASH_ALG_*
 * @use_2way: offer the two-block slot when the CPU has SHA-NI (SHA-256 only)
 *
 * Return: a static backend instance, or NULL for an unknown algorithm.
 */
const struct verityfs_core_hash *verityfs_core_host_hash(u32 alg, bool use_2way);

/**
 * verityfs_core_host_has_sha_ni() - whether the 2-way SHA-256 path can run
 *
 * Return: true when the CPU has the SHA extensions (and SSE4.1).
 */
bool verityfs_core_host_has_sha_ni(void);

/**
 * verityfs_core_host_sha256_x2() - two SHA-256 continuations at once
 * @h: the eight state words after the salted prefix (host order)
 * @prefix_bytes: bytes already hashed into @h (a multiple of 64)
 * @d1: first message
 * @d2: second message
 * @len: bytes of each message, a multiple of 64
 * @out1: digest of prefix || @d1
 * @out2: digest of prefix || @d2
 *
 * Only valid when verityfs_core_host_has_sha_ni() is true.
 */
void verityfs_core_host_sha256_x2(const u32 h[8], u64 prefix_bytes,
				  const u8 *d1, const u8 *d2, size_t len,
				  u8 *out1, u8 *out2);

#endif /* _VX_TEST_LIB_HOST_HASH_H */
