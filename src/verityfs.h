/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: private objects, accessors and prototypes, grouped by file.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_H
#define _VX_VERITYFS_H

#include <linux/fs.h>

#define VERITYFS_NAME		"verityfs"
/* Magic reported by statfs when no lower is attached ("vfyS"). */
#define VERITYFS_SUPER_MAGIC	0x76667953

/* super.c */
extern struct file_system_type verityfs_fs_type;

#endif /* _VX_VERITYFS_H */
