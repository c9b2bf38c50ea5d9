// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.17 renamed call_mmap() to vfs_mmap(), which also serves lower files
 * that only have mmap_prepare.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/mm.h>

int verityfs_probe(struct file *file, struct vm_area_struct *vma);
int verityfs_probe(struct file *file, struct vm_area_struct *vma)
{
	return vfs_mmap(file, vma);
}
