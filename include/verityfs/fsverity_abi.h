/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: the upstream fs-verity user ABI, stated in our own words.
 *
 * The numbers and layouts are upstream's (include/uapi/linux/fsverity.h) so
 * that the stock fsverity tool, libfsverity and xfstests work unchanged. They
 * are defined here because 5.10's headers lack FS_IOC_READ_VERITY_METADATA and
 * because the module must not depend on the kernel being built with
 * CONFIG_FS_VERITY. Where the target's <linux/fsverity.h> has a definition,
 * the static assertions below prove ours identical.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_FSVERITY_ABI_H
#define _VX_VERITYFS_FSVERITY_ABI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VERITYFS_HASH_ALG_SHA256	1
#define VERITYFS_HASH_ALG_SHA512	2

/* FS_IOC_ENABLE_VERITY argument: 128 bytes, native endian. */
struct verityfs_enable_arg {
	__u32 version;		/* must be 1 */
	__u32 hash_algorithm;	/* VERITYFS_HASH_ALG_*, checked as a u32 */
	__u32 block_size;	/* Merkle tree block size in bytes */
	__u32 salt_size;	/* 0..32 bytes */
	__u64 salt_ptr;		/* user pointer to the salt */
	__u32 sig_size;		/* bytes of DER PKCS#7, at most 16128 */
	__u32 __reserved1;	/* must be 0 */
	__u64 sig_ptr;		/* user pointer to the signature */
	__u64 __reserved2[11];	/* must be 0 */
};

/* FS_IOC_MEASURE_VERITY argument: a header followed by the digest. */
struct verityfs_digest {
	__u16 digest_algorithm;	/* out: VERITYFS_HASH_ALG_* */
	__u16 digest_size;	/* in: room in digest[]; out: bytes written */
	__u8 digest[];
};

#define VERITYFS_METADATA_TYPE_MERKLE_TREE	1
#define VERITYFS_METADATA_TYPE_DESCRIPTOR	2
#define VERITYFS_METADATA_TYPE_SIGNATURE	3

/* FS_IOC_READ_VERITY_METADATA argument: 40 bytes. */
struct verityfs_read_metadata_arg {
	__u64 metadata_type;	/* VERITYFS_METADATA_TYPE_* */
	__u64 offset;		/* byte offset into the item */
	__u64 length;		/* most bytes to copy */
	__u64 buf_ptr;		/* user buffer */
	__u64 __reserved;	/* must be 0 */
};

#define VERITYFS_IOC_ENABLE_VERITY	_IOW('f', 133, struct verityfs_enable_arg)
#define VERITYFS_IOC_MEASURE_VERITY	_IOWR('f', 134, struct verityfs_digest)
#define VERITYFS_IOC_READ_VERITY_METADATA \
	_IOWR('f', 135, struct verityfs_read_metadata_arg)

/* Reported by FS_IOC_GETFLAGS (lsattr's 'V') and statx. */
#define VERITYFS_FL			0x00100000
#define VERITYFS_STATX_ATTR_VERITY	0x00100000

#endif /* _VX_VERITYFS_FSVERITY_ABI_H */
