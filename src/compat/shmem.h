/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: kernel-internal shmem files (used by the self-tests).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_SHMEM_H
#define _VX_COMPAT_SHMEM_H

#include <linux/mm.h>
#include <linux/shmem_fs.h>

/* 7.x: shmem_file_setup() takes vma_flags_t where it took unsigned long. */
static inline struct file *verityfs_compat_shmem_file_setup(const char *name, loff_t size)
{
#ifdef HAVE_SHMEM_FILE_SETUP_VMA_FLAGS
	return shmem_file_setup(name, size, EMPTY_VMA_FLAGS);
#else
	return shmem_file_setup(name, size, 0);
#endif
}

#endif /* _VX_COMPAT_SHMEM_H */
