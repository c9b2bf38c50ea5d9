/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: where the kernel's own fs-verity keeps its per-inode info
 * (kverity.c).
 *
 * Up to 6.17 fs/verity keeps it in inode->i_verity_info; 6.18 asks the
 * filesystem for a slot in its own inode (fsverity_operations.inode_info_offs,
 * an offset from the struct inode); from 7.0 it keeps the info in a hash table
 * of its own, and clear_inode() frees it. verityfs's inode always has the
 * slot; only 6.18's operations name it (HAVE_FSVERITY_INODE_INFO_OFFS).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_KVERITY_H
#define _VX_COMPAT_KVERITY_H

#include <linux/fsverity.h>

/* Free fs/verity's info of an inode being evicted, after clear_inode(). */
static inline void verityfs_compat_fsverity_cleanup(struct inode *inode)
{
#ifndef HAVE_FSVERITY_INFO_HASHED
	fsverity_cleanup_inode(inode);
#endif
}

#endif /* _VX_COMPAT_KVERITY_H */
