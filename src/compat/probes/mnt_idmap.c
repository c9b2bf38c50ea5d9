// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.3 replaced mnt_user_ns() with mnt_idmap() to tell an idmapped mount.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/mnt_idmapping.h>

bool verityfs_probe(struct vfsmount *mnt);
bool verityfs_probe(struct vfsmount *mnt)
{
	return mnt_idmap(mnt) != &nop_mnt_idmap;
}
