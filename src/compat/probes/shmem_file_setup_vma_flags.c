// SPDX-License-Identifier: GPL-2.0-only
/*
 * 7.x made the flags of shmem_file_setup() a vma_flags_t (EMPTY_VMA_FLAGS)
 * instead of unsigned long.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/mm.h>
#include <linux/shmem_fs.h>

struct file *verityfs_probe(void);
struct file *verityfs_probe(void)
{
	return shmem_file_setup("verityfs-probe", 0, EMPTY_VMA_FLAGS);
}
