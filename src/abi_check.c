// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: build-time proof that our fs-verity ABI definitions equal the
 * kernel's own, on every kernel whose headers have them.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/build_bug.h>
#include <linux/fs.h>
#include <linux/fsverity.h>
#include <linux/stat.h>

#include <verityfs/fsverity_abi.h>

static_assert(sizeof(struct verityfs_enable_arg) == 128);
static_assert(sizeof(struct verityfs_digest) == 4);
static_assert(sizeof(struct verityfs_read_metadata_arg) == 40);
static_assert(VERITYFS_IOC_ENABLE_VERITY == 0x40806685);
static_assert(VERITYFS_IOC_MEASURE_VERITY == 0xC0046686);
static_assert(VERITYFS_IOC_READ_VERITY_METADATA == 0xC0286687);

static_assert(VERITYFS_IOC_ENABLE_VERITY == FS_IOC_ENABLE_VERITY);
static_assert(VERITYFS_IOC_MEASURE_VERITY == FS_IOC_MEASURE_VERITY);
static_assert(sizeof(struct verityfs_enable_arg) == sizeof(struct fsverity_enable_arg));
static_assert(VERITYFS_HASH_ALG_SHA256 == FS_VERITY_HASH_ALG_SHA256);
static_assert(VERITYFS_HASH_ALG_SHA512 == FS_VERITY_HASH_ALG_SHA512);
static_assert(VERITYFS_FL == FS_VERITY_FL);
static_assert(VERITYFS_STATX_ATTR_VERITY == STATX_ATTR_VERITY);

#ifdef HAVE_UAPI_READ_VERITY_METADATA
static_assert(VERITYFS_IOC_READ_VERITY_METADATA == FS_IOC_READ_VERITY_METADATA);
static_assert(sizeof(struct verityfs_read_metadata_arg) ==
	      sizeof(struct fsverity_read_metadata_arg));
static_assert(VERITYFS_METADATA_TYPE_MERKLE_TREE == FS_VERITY_METADATA_TYPE_MERKLE_TREE);
static_assert(VERITYFS_METADATA_TYPE_DESCRIPTOR == FS_VERITY_METADATA_TYPE_DESCRIPTOR);
static_assert(VERITYFS_METADATA_TYPE_SIGNATURE == FS_VERITY_METADATA_TYPE_SIGNATURE);
#endif

#include <verityfs/format.h>
#include <verityfs/ioctl.h>

static_assert(sizeof(struct verityfs_record_v1) == 88);
static_assert(sizeof(struct verityfs_record) == 56);
static_assert(sizeof(struct verityfs_record_start) == 8);
static_assert(sizeof(struct verityfs_enable_tree_arg) == 64);
static_assert(sizeof(struct verityfs_object_header) == 64);
