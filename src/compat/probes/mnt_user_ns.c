// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.12 added idmapped mounts, told by mnt_user_ns() (mnt_idmap() from
 * 6.3).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/mount.h>

bool verityfs_probe(struct vfsmount *mnt);
bool verityfs_probe(struct vfsmount *mnt)
{
	return mnt_user_ns(mnt) != &init_user_ns;
}
