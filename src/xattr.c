// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: extended attributes, passed through to the lower inode, minus
 * verityfs's own "trusted.verityfs" and "trusted.verityfs.*".
 *
 * One handler with an empty prefix catches every name (user., trusted.,
 * security., and system.posix_acl_* on kernels before 6.2, which since route
 * ACLs through ->get_acl/->set_acl). The caller's right to the attribute was
 * checked by the VFS on the upper inode; the lower call runs as the mounter.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fs.h>
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

/* Sets @name, or removes it when @value is NULL. */
static int set_lower_xattr(const struct xattr_handler *handler, VERITYFS_IDMAP_PARAM
			   struct dentry *dentry, struct inode *inode, const char *name,
			   const void *value, size_t size, int flags)
{
	struct dentry *lower = verityfs_lower_dentry(dentry);
	const struct cred *old;
	int err;

	if (verityfs_store_is_record_xattr(name))
		return -EPERM;
	err = verityfs_lower_want_write(inode->i_sb);
	if (err)
		return err;
	old = verityfs_lower_override_creds(inode->i_sb);
	if (value)
		err = verityfs_compat_vfs_setxattr(lower, name, value, size, flags);
	else
		err = verityfs_compat_vfs_removexattr(lower, name);
	verityfs_lower_revert_creds(old);
	verityfs_lower_drop_write(inode->i_sb);
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
 * verityfs_xattr_list() - the lower inode's xattr names, without verityfs's own
 * @dentry: the upper dentry
 * @list: buffer for the NUL-separated names, or NULL to ask for the size
 * @size: its size
 *
 * A size query may count the hidden names too: it is an upper bound, which
 * listxattr(2) allows.
 *
 * Return: bytes of names, or a negative errno (-ERANGE: @list too small).
 */
ssize_t verityfs_xattr_list(struct dentry *dentry, char *list, size_t size)
{
	const struct cred *old;
	ssize_t len, pos;

	old = verityfs_lower_override_creds(dentry->d_sb);
	len = vfs_listxattr(verityfs_lower_dentry(dentry), list, size);
	verityfs_lower_revert_creds(old);
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
