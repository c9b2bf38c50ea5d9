/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: what a verity file leaves on the lower filesystem.
 *
 *   LOWER/file                    the data, never changed by verityfs
 *     xattr trusted.verityfs      struct verityfs_record: the commit point;
 *                                 a file is a verity file iff it has one
 *   LOWER/.verityfs/              the store (mode 0700, hidden by the mount)
 *     <id as 16 hex digits>       one object per verity file:
 *       0                         struct verityfs_object_header
 *       64                        fs-verity descriptor (256 bytes, sig_size
 *                                 set) followed by the PKCS#7 signature
 *       tree_offset (4 KiB aligned)  the Merkle tree, serialized as upstream
 *                                 (top level first, every block block_size)
 *
 * Enabling writes and syncs the object first and sets the xattr last, so a
 * crash leaves either a plain file (plus an unreferenced object) or a
 * complete verity file. The record holds the file digest: an object that is
 * missing, damaged or belongs to another file makes the file unopenable
 * (EINVAL) instead of serving unverified data; data changed behind the mount
 * fails verification (EIO), data resized fails the size check (EINVAL).
 * All multi-byte fields are little-endian.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_FORMAT_H
#define _VX_VERITYFS_FORMAT_H

#include <linux/types.h>

#define VERITYFS_RECORD_MAGIC	"vfy1"
#define VERITYFS_OBJECT_MAGIC	"verityfs"
#define VERITYFS_FORMAT_VERSION	1
/* The tree starts on this boundary inside an object. */
#define VERITYFS_TREE_ALIGN	4096

/* The xattr value: 88 bytes. */
struct verityfs_record {
	__u8 magic[4];		/* VERITYFS_RECORD_MAGIC */
	__u8 version;		/* VERITYFS_FORMAT_VERSION */
	__u8 hash_alg;		/* fs-verity hash algorithm number */
	__u8 digest_size;	/* bytes of file_digest in use: 32 or 64 */
	__u8 __reserved;	/* 0 */
	__le64 object_id;	/* name of the object in the store */
	__le64 data_size;	/* bytes of data at enable time */
	__u8 file_digest[64];	/* fs-verity file digest, zero past digest_size */
};

/* The start of an object: 64 bytes. */
struct verityfs_object_header {
	__u8 magic[8];		/* VERITYFS_OBJECT_MAGIC, no NUL */
	__le32 version;		/* VERITYFS_FORMAT_VERSION */
	__le32 desc_size;	/* bytes of descriptor plus signature */
	__le64 object_id;	/* same as the name and the record's */
	__le64 tree_offset;	/* byte offset of the tree, VERITYFS_TREE_ALIGN aligned */
	__le64 tree_size;	/* bytes of tree */
	__u8 __reserved[24];	/* 0 */
};

#endif /* _VX_VERITYFS_FORMAT_H */
