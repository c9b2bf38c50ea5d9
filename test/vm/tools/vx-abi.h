/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vx-abi.h: upstream fs-verity's user ABI (reference/fsverity-abi.md section
 * 1), spelled out for the guest's test tools, so that they build without
 * <linux/fsverity.h> and show the layout they test.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef VX_ABI_H
#define VX_ABI_H

#include <stdint.h>

/* struct fsverity_enable_arg: 128 bytes */
struct vx_enable_arg {
	uint32_t version, hash_algorithm, block_size, salt_size;
	uint64_t salt_ptr;
	uint32_t sig_size, reserved1;
	uint64_t sig_ptr;
	uint64_t reserved2[11];
};

/* struct fsverity_read_metadata_arg: 40 bytes */
struct vx_readmeta_arg {
	uint64_t type, offset, length, buf_ptr, reserved;
};

#endif /* VX_ABI_H */
