/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: handing a mapping over to the lower file.
 *
 * 5.11 added vma_set_file(); before it the file is swapped by hand. 6.16 let
 * filesystems offer only ->mmap_prepare, and 6.17 turned call_mmap() into
 * vfs_mmap(), which serves both kinds; so a lower file is never mapped
 * through its ->mmap pointer directly.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_MMAP_H
#define _VX_COMPAT_MMAP_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/file.h>

static inline void verityfs_compat_vma_set_file(struct vm_area_struct *vma, struct file *file)
{
#ifdef HAVE_VMA_SET_FILE
	vma_set_file(vma, file);
#else
	get_file(file);
	swap(vma->vm_file, file);
	fput(file);
#endif
}

static inline bool verityfs_compat_can_mmap(struct file *file)
{
#ifdef HAVE_VFS_MMAP
	return file->f_op->mmap || file->f_op->mmap_prepare;
#else
	return file->f_op->mmap;
#endif
}

static inline int verityfs_compat_vfs_mmap(struct file *file, struct vm_area_struct *vma)
{
#ifdef HAVE_VFS_MMAP
	return vfs_mmap(file, vma);
#else
	return call_mmap(file, vma);
#endif
}

#endif /* _VX_COMPAT_MMAP_H */
