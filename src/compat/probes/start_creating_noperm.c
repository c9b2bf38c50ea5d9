// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.19 added start_creating_noperm(): lock the parent and look the name up
 * for a creation.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/namei.h>

struct dentry *verityfs_probe(struct dentry *parent, struct qstr *name);
struct dentry *verityfs_probe(struct dentry *parent, struct qstr *name)
{
	return start_creating_noperm(parent, name);
}
