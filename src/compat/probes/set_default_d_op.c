// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.17 hid super_block.s_d_op behind set_default_d_op().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/dcache.h>

void verityfs_probe(struct super_block *sb, const struct dentry_operations *ops);
void verityfs_probe(struct super_block *sb, const struct dentry_operations *ops)
{
	set_default_d_op(sb, ops);
}
