// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: extended attributes, passed through to the lower inode, minus
 * verityfs's own "trusted.verityfs" and "trusted.verityfs.*".
 *
 * One handler with an empty prefix catches every name (user., trusted.,
 * security., and system.posix_acl_* on kernels before 6.2, which since route
 * ACLs through ->get_acl/->set_acl). The lower call runs as the mounter, so
 * every check that the VFS or the lower would make for the caller must have
 * been made before it: the VFS checks user. (permission), trusted.
 * (CAP_SYS_ADMIN) and security. (the LSM) on the upper inode with the
 * caller's credentials; system. names it leaves to the filesystem, so the
 * ACL rules of set_posix_acl() are made here, the lower ACL call runs as
 * the caller, and other system. names are refused. Listing runs as the
 * caller, so the lower hides what it hides from them.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <linux/string.h>
#include <linux/xattr.h>

#include "verityfs.h"

static int get_lower_xattr(const struct xattr_handler *handler, struct dentry *dentry,
			   struct inode *inode, const char *name, void *value, size_t size)
{
	const struct cred *old;
	ssize_t ret;

	if (verityfs_store_is_record_xattr(name))
		return -ENODATA;
	if (!dentry)
		return -ECHILD;
	old = verityfs_lower_override_creds(inode->i_sb);
	ret = verityfs_compat_vfs_getxattr(verityfs_lower_dentry(dentry), name, value, size);
	verityfs_lower_revert_creds(old);
	return ret;
}

static bool is_system_xattr(const char *name)
{
	return !strncmp(name, XATTR_SYSTEM_PREFIX, XATTR_SYSTEM_PREFIX_LEN);
}

static int acl_xattr_type(const char *name)
{
	if (!strcmp(name, XATTR_NAME_POSIX_ACL_ACCESS))
		return ACL_TYPE_ACCESS;
	if (!strcmp(name, XATTR_NAME_POSIX_ACL_DEFAULT))
		return ACL_TYPE_DEFAULT;
	return -1;
}

#ifndef HAVE_ACL_DENTRY
/*
 * What set_posix_acl() checks before the filesystem sets an ACL, in its
 * order, for the caller: the value parses, the lower has ACLs, a default ACL
 * only on a directory, and the caller owns the file (or has CAP_FOWNER).
 * The lower checks again, as the mounter, and finds the same.
 *
 * Returns 0 to go on, 1 when there is nothing to do, or an errno.
 */
static int check_posix_acl(struct inode *inode, int type, const void *value, size_t size)
{
	struct inode *lower = verityfs_lower_inode(inode);
	struct posix_acl *acl = NULL;

	if (value) {
		acl = posix_acl_from_xattr(&init_user_ns, value, size);
		if (IS_ERR(acl))
			return PTR_ERR(acl);
		posix_acl_release(acl);
	}
	if (!IS_POSIXACL(lower) || !lower->i_op->set_acl)
		return -EOPNOTSUPP;
	if (type == ACL_TYPE_DEFAULT && !S_ISDIR(inode->i_mode))
		return acl ? -EACCES : 1;
	if (!verityfs_compat_owner_or_capable(inode))
		return -EPERM;
	return 0;
}
#else
/* 6.2+ never route ACLs here: the VFS checks them before ->set_acl (inode.c). */
static int check_posix_acl(struct inode *inode, int type, const void *value, size_t size)
{
	return -EOPNOTSUPP;
}
#endif

/* Sets @name, or removes it when @value is NULL. */
static int set_lower_xattr(const struct xattr_handler *handler, VERITYFS_IDMAP_PARAM
			   struct dentry *dentry, struct inode *inode, const char *name,
			   const void *value, size_t size, int flags)
{
	struct dentry *lower = verityfs_lower_dentry(dentry);
	int acl_type = acl_xattr_type(name);
	const struct cred *old;
	int err;

	if (verityfs_store_is_record_xattr(name))
		return -EPERM;
	/* Unknown system. names would skip their filesystem's own checks. */
	if (is_system_xattr(name) && acl_type < 0)
		return -EOPNOTSUPP;
	if (acl_type >= 0) {
		verityfs_inode_copy_attr(inode, d_inode(lower));
		err = check_posix_acl(inode, acl_type, value, size);
		if (err)
			return err < 0 ? err : 0;
	}
	err = verityfs_lower_want_write(inode->i_sb);
	if (err)
		return err;
	/*
	 * ACLs change as the caller (see verityfs_inode_set_acl()): the
	 * lower's set_posix_acl() then checks the owner and applies its setgid
	 * rule for the caller, as it would directly.
	 */
	old = acl_type >= 0 ? NULL : verityfs_lower_override_creds(inode->i_sb);
	if (value)
		err = verityfs_compat_vfs_setxattr(lower, name, value, size, flags);
	else
		err = verityfs_compat_vfs_removexattr(lower, name);
	if (old)
		verityfs_lower_revert_creds(old);
	verityfs_lower_drop_write(inode->i_sb);
	if (acl_type >= 0)
		forget_all_cached_acls(inode);
	verityfs_inode_copy_attr(inode, d_inode(lower));
	return err;
}

static const struct xattr_handler verityfs_lower_xattr_handler = {
	.prefix	= "",	/* every name, whole */
	.get	= get_lower_xattr,
	.set	= set_lower_xattr,
};

const struct xattr_handler *verityfs_xattr_handlers[] = {
	&verityfs_lower_xattr_handler,
	NULL
};

/**
 * verityfs_xattr_list() - the lower inode's xattr names the caller may see
 * @dentry: the upper dentry
 * @list: buffer for the NUL-separated names, or NULL to ask for the size
 * @size: its size
 *
 * Listing checks nothing but the caller's privilege, and the lower applies
 * its own rule for trusted.* names (ext4, xfs and tmpfs list them only to
 * CAP_SYS_ADMIN, btrfs to everyone), so the lower lists with the caller's
 * credentials, not the mounter's. verityfs's own names are taken out; a
 * size query counts them too: an upper bound, which listxattr(2) allows.
 *
 * Return: bytes of names, or a negative errno (-ERANGE: @list too small).
 */
ssize_t verityfs_xattr_list(struct dentry *dentry, char *list, size_t size)
{
	ssize_t len, pos;

	len = vfs_listxattr(verityfs_lower_dentry(dentry), list, size);
	if (len <= 0 || !list)
		return len;

	pos = 0;
	while (pos < len) {
		size_t n = strnlen(list + pos, len - pos) + 1;

		if (verityfs_store_is_record_xattr(list + pos)) {
			memmove(list + pos, list + pos + n, len - pos - n);
			len -= n;
		} else {
			pos += n;
		}
	}
	return len;
}
