/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: the kernel hash backend of the portable core (crypto_shash).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_HASH_H
#define _VX_HASH_H

#include <verityfs/core.h>

/**
 * verityfs_hash_get() - the backend for one fs-verity hash algorithm
 * @alg: VERITYFS_CORE_HASH_ALG_* (any u32)
 *
 * Allocates the algorithm's crypto_shash on first use; later calls are
 * lock-free. Pass the result to verityfs_core_init_params(): NULL makes it
 * fail with -ENOPKG (algorithm not available), an unknown @alg with -EINVAL.
 * May sleep on first use.
 *
 * Return: the backend, or NULL if @alg is unknown or unavailable.
 */
const struct verityfs_core_hash *verityfs_hash_get(u32 alg);

/**
 * verityfs_hash_exit() - free the transforms at module unload
 */
void verityfs_hash_exit(void);

#endif /* _VX_HASH_H */
