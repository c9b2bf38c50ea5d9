// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: filesystem type and mount context.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs_context.h>
#include <linux/module.h>

#include "verityfs.h"

/*
 * The stacking mount (a lower directory as the source) is not built yet: a
 * mount attempt fails cleanly instead of producing a half-made superblock.
 */
static int verityfs_get_tree(struct fs_context *fc)
{
	return invalfc(fc, "mounting is not implemented yet");
}

static const struct fs_context_operations verityfs_context_ops = {
	.get_tree	= verityfs_get_tree,
};

static int verityfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &verityfs_context_ops;
	return 0;
}

struct file_system_type verityfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= VERITYFS_NAME,
	.init_fs_context	= verityfs_init_fs_context,
	.kill_sb		= kill_anon_super,
};
