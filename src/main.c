// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: module load and unload.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/module.h>

#include "verityfs.h"

static int __init verityfs_init(void)
{
	int err;

	err = register_filesystem(&verityfs_fs_type);
	if (err)
		return err;
	pr_info("version %s loaded\n", VERITYFS_VERSION);
	return 0;
}

static void __exit verityfs_exit(void)
{
	unregister_filesystem(&verityfs_fs_type);
	pr_info("unloaded\n");
}

module_init(verityfs_init);
module_exit(verityfs_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(VERITYFS_VERSION);
MODULE_DESCRIPTION("fs-verity for any filesystem, as a stacking filesystem");
MODULE_AUTHOR("The verityfs authors");
MODULE_ALIAS_FS(VERITYFS_NAME);
