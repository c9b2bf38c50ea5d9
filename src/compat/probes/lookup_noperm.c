// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.16 replaced lookup_one_len*() with lookup_noperm*(), which take a qstr
 * and skip the MAY_EXEC check.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/namei.h>

struct dentry *verityfs_probe(struct qstr *name, struct dentry *base);
struct dentry *verityfs_probe(struct qstr *name, struct dentry *base)
{
	return lookup_noperm_unlocked(name, base);
}
