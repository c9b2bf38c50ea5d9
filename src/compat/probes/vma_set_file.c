// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.11 added vma_set_file() to swap a mapping's file with the right
 * references.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/mm.h>

void verityfs_probe(struct vm_area_struct *vma, struct file *file);
void verityfs_probe(struct vm_area_struct *vma, struct file *file)
{
	vma_set_file(vma, file);
}
