// SPDX-License-Identifier: GPL-2.0-only
/*
 * 7.0 keeps fs/verity's per-inode info in a hash table of its own
 * (__fsverity_get_info()), and the same series made clear_inode() free it,
 * so fsverity_cleanup_inode() is no longer exported to filesystems.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fsverity.h>

struct fsverity_info *verityfs_probe(const struct inode *inode);
struct fsverity_info *verityfs_probe(const struct inode *inode)
{
	return __fsverity_get_info(inode);
}
