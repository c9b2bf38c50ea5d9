// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.7 added splice_file_range() for ->copy_file_range() fallbacks; before
 * it generic_copy_file_range().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/splice.h>

ssize_t verityfs_probe(struct file *in, loff_t *pin, struct file *out, loff_t *pout, size_t len);
ssize_t verityfs_probe(struct file *in, loff_t *pin, struct file *out, loff_t *pout, size_t len)
{
	return splice_file_range(in, pin, out, pout, len);
}
