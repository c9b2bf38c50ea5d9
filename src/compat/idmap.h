/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: the mount-idmap argument of inode operations and vfs_*.
 *
 * 5.12 gave inode operations and the vfs_* helpers a struct user_namespace *
 * first argument; 6.3 replaced it with struct mnt_idmap *. verityfs never sets
 * FS_ALLOW_IDMAP and refuses idmapped lower mounts, so the argument it
 * receives is always the identity and the one it passes down is the identity
 * too. VERITYFS_IDMAP_PARAM declares the argument in an operation's
 * signature; VERITYFS_NOP_IDMAP passes the identity to a lower vfs_* call.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_IDMAP_H
#define _VX_COMPAT_IDMAP_H

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/xattr.h>

#if defined(HAVE_IOP_MNT_IDMAP)
#define VERITYFS_IDMAP_PARAM	struct mnt_idmap *idmap,
#define VERITYFS_NOP_IDMAP	&nop_mnt_idmap,
#elif defined(HAVE_IOP_USER_NS)
#define VERITYFS_IDMAP_PARAM	struct user_namespace *mnt_userns,
#define VERITYFS_NOP_IDMAP	&init_user_ns,
#else /* 5.10: no idmapped mounts */
#define VERITYFS_IDMAP_PARAM
#define VERITYFS_NOP_IDMAP
#endif

/* True when @mnt is an idmapped mount (5.12+); verityfs refuses those lowers. */
static inline bool verityfs_compat_mnt_idmapped(struct vfsmount *mnt)
{
#if defined(HAVE_MNT_IDMAP)
	return mnt_idmap(mnt) != &nop_mnt_idmap;
#elif defined(HAVE_MNT_USER_NS)
	return mnt_user_ns(mnt) != &init_user_ns;
#else
	return false;
#endif
}

static inline int verityfs_compat_inode_permission(struct inode *inode, int mask)
{
	return inode_permission(VERITYFS_NOP_IDMAP inode, mask);
}

static inline bool verityfs_compat_owner_or_capable(const struct inode *inode)
{
	return inode_owner_or_capable(VERITYFS_NOP_IDMAP inode);
}

/* The caller holds the lower inode's i_rwsem, as notify_change() requires. */
static inline int verityfs_compat_notify_change(struct dentry *dentry, struct iattr *attr)
{
	return notify_change(VERITYFS_NOP_IDMAP dentry, attr, NULL);
}

static inline int verityfs_compat_setattr_prepare(struct dentry *dentry, struct iattr *attr)
{
	return setattr_prepare(VERITYFS_NOP_IDMAP dentry, attr);
}

static inline ssize_t verityfs_compat_vfs_getxattr(struct dentry *dentry, const char *name,
						   void *value, size_t size)
{
	return vfs_getxattr(VERITYFS_NOP_IDMAP dentry, name, value, size);
}

static inline int verityfs_compat_vfs_setxattr(struct dentry *dentry, const char *name,
					       const void *value, size_t size, int flags)
{
	return vfs_setxattr(VERITYFS_NOP_IDMAP dentry, name, value, size, flags);
}

static inline int verityfs_compat_vfs_removexattr(struct dentry *dentry, const char *name)
{
	return vfs_removexattr(VERITYFS_NOP_IDMAP dentry, name);
}

#endif /* _VX_COMPAT_IDMAP_H */
