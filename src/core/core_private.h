/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs core: helpers shared by the core's own files, not part of the API.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_CORE_CORE_PRIVATE_H
#define _VX_CORE_CORE_PRIVATE_H

#include <verityfs/core.h>

/*
 * On-disk struct fsverity_descriptor, little-endian, 256 bytes. Stated here
 * in our own words; the static check in descriptor.c pins the size.
 */
struct verityfs_core_desc {
	u8 version;		/* 1 */
	u8 hash_algorithm;	/* VERITYFS_CORE_HASH_ALG_* */
	u8 log_blocksize;	/* log2(Merkle block size) */
	u8 salt_size;		/* 0..32 */
	__le32 sig_size;	/* bytes of signature after the struct; 0 when hashed */
	__le64 data_size;	/* file size */
	u8 root_hash[64];	/* zero past the digest size */
	u8 salt[32];		/* zero past salt_size */
	u8 __reserved[144];	/* zero */
};

/* An algorithm's fixed facts; the backend supplies the code. */
struct verityfs_core_alg_info {
	const char *name;
	unsigned int digest_size;
	unsigned int log_digestsize;
	unsigned int hash_block_size;	/* compression-function block */
};

/* geometry.c */
const struct verityfs_core_alg_info *verityfs_core_alg_info(u32 alg);

/* hashing.c */
int verityfs_core_hash_start(const struct verityfs_core_params *p, void *state);

#endif /* _VX_CORE_CORE_PRIVATE_H */
