/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: ioctls of its own, beside the upstream fs-verity ABI
 * (fsverity_abi.h). Every one is answered by verityfs itself, on a file of a
 * verityfs mount; none is passed to the lower filesystem.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_IOCTL_H
#define _VX_VERITYFS_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * VERITYFS_IOC_ENABLE_FROM_TREE argument: 64 bytes, native endian.
 *
 * Makes the file a verity file from metadata computed elsewhere, exactly as
 * `fsverity digest --out-descriptor=D --out-merkle-tree=T` writes it, plus an
 * optional signature as `fsverity sign` writes it. The descriptor's
 * parameters and data size are checked at once; the data and the tree are
 * verified as they are read, as for any verity file (a wrong tree or wrong
 * data reads as EIO). Permissions, signature policy and errors are those of
 * FS_IOC_ENABLE_VERITY, and:
 *   EINVAL    version, reserved fields, desc_size; a descriptor that is not
 *             version 1, has sig_size or reserved bytes set or a salt over
 *             32 bytes, or gives a data size other than the file's; a tree
 *             shorter than the descriptor's geometry; tree_fd not a regular
 *             file
 *   EBADF     tree_fd is not a file descriptor open for reading
 *   ENOPKG    unknown hash algorithm
 *   EMSGSIZE  sig_size above 16128
 */
struct verityfs_enable_tree_arg {
	__u32 version;		/* must be 1 */
	__u32 desc_size;	/* bytes at desc_ptr: 256 */
	__u64 desc_ptr;		/* user pointer to the descriptor (sig_size 0) */
	__s32 tree_fd;		/* the tree, open for reading; -1 for none */
	__u32 sig_size;		/* bytes of DER PKCS#7 at sig_ptr, 0 for none */
	__u64 sig_ptr;		/* user pointer to the signature */
	__u64 tree_offset;	/* where the tree starts in tree_fd */
	__u64 __reserved[3];	/* must be 0 */
};

#define VERITYFS_IOC_ENABLE_FROM_TREE	_IOW('f', 0xf1, struct verityfs_enable_tree_arg)

#endif /* _VX_VERITYFS_IOCTL_H */
