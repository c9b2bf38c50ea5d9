// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: module load and unload.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/module.h>

#include "verityfs.h"
#include "hash.h"

static int __init verityfs_init(void)
{
	int err;

	verityfs_file_init();
	err = verityfs_hcache_init();
	if (err)
		return err;
	err = verityfs_super_init();
	if (err)
		goto err_hcache;
	err = verityfs_sysfs_init();
	if (err)
		goto err_inode_cache;
	err = verityfs_sig_init();
	if (err)
		goto err_sysfs;
	err = verityfs_read_init();
	if (err)
		goto err_sig;
	/* Last: once registered, the filesystem can be mounted. */
	err = register_filesystem(&verityfs_fs_type);
	if (err)
		goto err_read;
	pr_info("version %s loaded\n", VERITYFS_VERSION);
	verityfs_selftest_run();
	return 0;

err_read:
	verityfs_read_exit();
err_sig:
	verityfs_sig_exit();
err_sysfs:
	verityfs_sysfs_exit();
err_inode_cache:
	verityfs_super_exit();
err_hcache:
	verityfs_hcache_exit();
	return err;
}

static void __exit verityfs_exit(void)
{
	unregister_filesystem(&verityfs_fs_type);
	verityfs_read_exit();
	verityfs_sig_exit();
	verityfs_sysfs_exit();
	verityfs_super_exit();
	verityfs_hcache_exit();
	verityfs_hash_exit();
	pr_info("unloaded\n");
}

module_init(verityfs_init);
module_exit(verityfs_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(VERITYFS_VERSION);
MODULE_DESCRIPTION("fs-verity for any filesystem, as a stacking filesystem");
MODULE_AUTHOR("The verityfs authors");
MODULE_ALIAS_FS(VERITYFS_NAME);
