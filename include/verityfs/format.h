/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: what a verity file leaves on the lower filesystem.
 *
 *   LOWER/.../file                the data, never changed by verityfs
 *     xattr trusted.verityfs      the record: the commit point; a file is a
 *                                 verity file iff it has one
 *   ROOT/.verityfs/               the store, at the root of the lower
 *                                 filesystem (its super block's root), owned
 *                                 by root, mode 0700, hidden by every mount
 *     <id as 16 hex digits>       one object per verity file, owned by the
 *                                 file's owner (quota), mode 0600:
 *       0                         struct verityfs_object_header
 *       64                        fs-verity descriptor (256 bytes, sig_size
 *                                 set) followed by the PKCS#7 signature
 *       tree_offset (4 KiB aligned)  the Merkle tree, serialized as upstream
 *                                 (top level first, every block block_size)
 *
 * The record lives on the inode, so renames and hard links keep it, and the
 * store is one per filesystem, so every verityfs mount of any directory of
 * that filesystem finds the object. The record binds every byte of the head
 * of the object (header, descriptor, signature) by their SHA-256; the tree is
 * bound by the root hash in the descriptor and verified as it is read.
 *
 * Enabling writes and syncs the object first and sets the xattr last, so a
 * crash leaves either a plain file (plus an unreferenced object, which
 * `verityfs gc` finds) or a complete verity file. An object that is missing,
 * damaged or belongs to another file makes the file unopenable (EINVAL)
 * instead of serving unverified data; data changed behind the mount fails
 * verification (EIO), data resized fails the size check (EINVAL).
 *
 * Versions. Record version 1 (0.1.0) kept the store in the directory given
 * at mount time and named the file digest instead of the head's hash; such a
 * file is read with its object found in the filesystem's store or in a
 * .verityfs of one of its ancestor directories, and upgraded in place (the
 * object moved into the store, the record rewritten) when the mount is
 * writable. The object header is version 1 in both.
 *
 * All multi-byte fields are little-endian.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_FORMAT_H
#define _VX_VERITYFS_FORMAT_H

#include <linux/types.h>

#define VERITYFS_RECORD_MAGIC	"vfy1"
#define VERITYFS_OBJECT_MAGIC	"verityfs"
#define VERITYFS_RECORD_V1	1
#define VERITYFS_RECORD_V2	2
#define VERITYFS_OBJECT_VERSION	1
/* The tree starts on this boundary inside an object. */
#define VERITYFS_TREE_ALIGN	4096
/* Bytes of the head digest: SHA-256. */
#define VERITYFS_HEAD_DIGEST_SIZE 32

/* The common start of every record version: 8 bytes. */
struct verityfs_record_start {
	__u8 magic[4];		/* VERITYFS_RECORD_MAGIC */
	__u8 version;		/* VERITYFS_RECORD_V* */
	__u8 __pad[3];
};

/*
 * The xattr value written by 0.1.0: 88 bytes. Too long for the in-inode
 * xattr space of an ext4 inode of 256 bytes.
 */
struct verityfs_record_v1 {
	__u8 magic[4];		/* VERITYFS_RECORD_MAGIC */
	__u8 version;		/* VERITYFS_RECORD_V1 */
	__u8 hash_alg;		/* fs-verity hash algorithm number */
	__u8 digest_size;	/* bytes of file_digest in use: 32 or 64 */
	__u8 __reserved;	/* 0 */
	__le64 object_id;	/* name of the object in the store */
	__le64 data_size;	/* bytes of data at enable time */
	__u8 file_digest[64];	/* fs-verity file digest, zero past digest_size */
};

/*
 * The xattr value written since 0.2.0: 56 bytes, which ext4 keeps inside an
 * inode of 256 bytes (a cold stat reads no xattr block).
 */
struct verityfs_record {
	__u8 magic[4];		/* VERITYFS_RECORD_MAGIC */
	__u8 version;		/* VERITYFS_RECORD_V2 */
	__u8 __reserved[3];	/* 0 */
	__le64 object_id;	/* name of the object in the store */
	__le64 data_size;	/* bytes of data at enable time */
	/* SHA-256 of the object's head, bytes [0, 64 + desc_size) */
	__u8 head_digest[VERITYFS_HEAD_DIGEST_SIZE];
};

/* The start of an object: 64 bytes. */
struct verityfs_object_header {
	__u8 magic[8];		/* VERITYFS_OBJECT_MAGIC, no NUL */
	__le32 version;		/* VERITYFS_OBJECT_VERSION */
	__le32 desc_size;	/* bytes of descriptor plus signature */
	__le64 object_id;	/* same as the name and the record's */
	__le64 tree_offset;	/* byte offset of the tree, VERITYFS_TREE_ALIGN aligned */
	__le64 tree_size;	/* bytes of tree */
	__u8 __reserved[24];	/* 0 */
};

#endif /* _VX_VERITYFS_FORMAT_H */
