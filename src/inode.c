// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: upper inodes and the inode operations shared by every kind of
 * inode (permission, getattr, setattr, xattrs, ACLs, fiemap).
 *
 * Each operation follows the same steps: find the lower object, check the
 * caller the way the lower would, switch to the mounter's credentials, call
 * the lower vfs_* helper, switch back, copy the attributes up.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/fs_stack.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/posix_acl.h>
#include <linux/xattr.h>

#include <verityfs/fsverity_abi.h>
#include "verityfs.h"

/* Inode flags the VFS itself enforces on the upper inode, mirrored from the lower. */
#define VERITYFS_MIRRORED_FLAGS	(S_SYNC | S_NOATIME | S_APPEND | S_IMMUTABLE | S_DIRSYNC)

/**
 * verityfs_inode_copy_attr() - refresh an upper inode from its lower inode
 * @inode: the upper inode
 * @lower: its lower inode
 *
 * Mode, owner, times, link count and size follow the lower. Of the inode
 * flags only those the VFS enforces are mirrored, and only they are written
 * (atomically, as inode_set_flags() does): S_VERITY of a verityfs verity
 * file is the upper inode's own, and readers such as overlayfs and IMA test
 * it at any time, so it must never flicker (nor the lower's S_VERITY of a
 * natively verity file appear on a plain upper inode). A verity file
 * keeps the size its metadata covers: the upper page cache is filled up to
 * i_size, so a lower resized behind the mount must not move it (reads of an
 * open file then fail verification instead of returning another length;
 * new opens fail the size check).
 */
void verityfs_inode_copy_attr(struct inode *inode, struct inode *lower)
{
	/* fsstack_copy_attr_all() without its plain copy of i_flags. */
	inode->i_mode = lower->i_mode;
	inode->i_uid = lower->i_uid;
	inode->i_gid = lower->i_gid;
	inode->i_rdev = lower->i_rdev;
	verityfs_compat_copy_times(inode, lower);
	inode->i_blkbits = lower->i_blkbits;
	set_nlink(inode, lower->i_nlink);
	if (!verityfs_inode_is_verity(inode))
		fsstack_copy_inode_size(inode, lower);
	inode_set_flags(inode, READ_ONCE(lower->i_flags) & VERITYFS_MIRRORED_FLAGS,
			VERITYFS_MIRRORED_FLAGS);
}

static int match_lower_inode(struct inode *inode, void *lower)
{
	return VERITYFS_I(inode)->lower_inode == lower;
}

/* Called under the inode hash lock for a new upper inode only. */
static int attach_lower_inode(struct inode *inode, void *data)
{
	struct inode *lower = data;

	ihold(lower);
	VERITYFS_I(inode)->lower_inode = lower;
	inode->i_ino = lower->i_ino;
	return 0;
}

/**
 * verityfs_inode_get() - the upper inode of a lower inode
 * @sb: the verityfs superblock
 * @lower: the lower inode
 *
 * Upper inodes are hashed by their lower inode, so every lower inode has at
 * most one upper inode and hard links through verityfs stay hard links.
 *
 * Return: a referenced upper inode, or ERR_PTR(-ENOMEM).
 */
struct inode *verityfs_inode_get(struct super_block *sb, struct inode *lower)
{
	struct inode *inode;

	inode = iget5_locked(sb, lower->i_ino, match_lower_inode, attach_lower_inode, lower);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode_state_read_once(inode) & I_NEW))
		return inode;

	inode->i_mapping->a_ops = &verityfs_file_aops;
	switch (lower->i_mode & S_IFMT) {
	case S_IFREG:
		/*
		 * verity: a verity file gets its own a_ops and file operations
		 * (read through the upper page cache) when its metadata is
		 * loaded; plain files forward every call to the lower file.
		 */
		inode->i_op = &verityfs_inode_file_iops;
		inode->i_fop = verityfs_file_fops_for(lower);
		break;
	case S_IFDIR:
		inode->i_op = &verityfs_namei_dir_iops;
		inode->i_fop = &verityfs_readdir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &verityfs_inode_symlink_iops;
		break;
	default:
		inode->i_op = &verityfs_inode_special_iops;
		init_special_inode(inode, lower->i_mode, lower->i_rdev);
		break;
	}
	verityfs_inode_copy_attr(inode, lower);
	unlock_new_inode(inode);
	return inode;
}

/**
 * verityfs_inode_permission() - may the caller do @mask to @inode?
 * @inode: the upper inode
 * @mask: MAY_* bits, possibly with MAY_NOT_BLOCK
 *
 * The lower inode judges the caller with the caller's own credentials: its
 * mode, ACLs, immutable flag and read-only mount all count, exactly as they
 * would without verityfs.
 *
 * Return: 0, -EACCES, -EPERM, -EROFS, or -ECHILD in RCU walk.
 */
int verityfs_inode_permission(VERITYFS_IDMAP_PARAM struct inode *inode, int mask)
{
	struct inode *lower = READ_ONCE(VERITYFS_I(inode)->lower_inode);
	int mnt_flags = READ_ONCE(VERITYFS_SB(inode->i_sb)->lower_path.mnt->mnt_flags);

	if (!lower)
		return -ECHILD;
	/*
	 * The lower mount's noexec and nodev, as the VFS applies them to a
	 * path on it (path_noexec(), may_open_dev()): it sees only the
	 * verityfs mount's flags. Read at each call, as a remount changes them.
	 */
	if ((mask & MAY_EXEC) && S_ISREG(inode->i_mode) && (mnt_flags & MNT_NOEXEC))
		return -EACCES;
	if ((mask & MAY_OPEN) && (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) &&
	    (mnt_flags & MNT_NODEV))
		return -EACCES;
	return verityfs_compat_inode_permission(lower, mask);
}

/**
 * verityfs_inode_getattr() - stat through to the lower file
 * @path: the upper path
 * @stat: filled in
 * @mask: STATX_* fields wanted
 * @flags: AT_STATX_* and AT_* lookup flags
 *
 * Everything comes from the lower (inode number included) except st_dev,
 * which is the verityfs mount's, so that stat agrees with the mount table.
 *
 * Return: 0 or the lower's error.
 */
int verityfs_inode_getattr(VERITYFS_IDMAP_PARAM const struct path *path, struct kstat *stat,
			   u32 mask, unsigned int flags)
{
	struct dentry *dentry = path->dentry;
	struct verityfs_dentry_info *e = VERITYFS_E(dentry);
	const struct cred *old;
	int err;

	verityfs_open_refresh(d_inode(dentry), dentry, true);
	old = verityfs_lower_override_creds(dentry->d_sb);
	err = verityfs_compat_vfs_getattr(&e->lower_path, stat, mask, flags);
	verityfs_lower_revert_creds(old);
	if (err)
		return err;
	verityfs_inode_copy_attr(d_inode(dentry), d_inode(e->lower_path.dentry));
	stat->dev = dentry->d_sb->s_dev;
	/* Like ext4: the mask always claims the bit, the value tells. */
	stat->attributes_mask |= VERITYFS_STATX_ATTR_VERITY;
	if (verityfs_inode_is_verity(d_inode(dentry)))
		stat->attributes |= VERITYFS_STATX_ATTR_VERITY;
	return 0;
}

/**
 * verityfs_inode_setattr() - chmod, chown, utimes and truncate through to the lower
 * @dentry: the upper dentry
 * @attr: the change; checked against the caller here, applied to the lower
 *	inode with the mounter's credentials
 *
 * Return: 0 or a negative errno from the checks or the lower fs.
 */
int verityfs_inode_setattr(VERITYFS_IDMAP_PARAM struct dentry *dentry, struct iattr *attr)
{
	struct super_block *sb = dentry->d_sb;
	struct dentry *lower = verityfs_lower_dentry(dentry);
	struct inode *lower_inode = d_inode(lower);
	const struct cred *old;
	struct iattr lower_attr;
	int err;

	verityfs_open_refresh(d_inode(dentry), dentry, true);
	err = verityfs_compat_setattr_prepare(dentry, attr);
	if (err)
		return err;
	/* Verity files are immutable: truncate(), O_TRUNC (on a read-only open too). */
	if ((attr->ia_valid & ATTR_SIZE) && verityfs_inode_is_verity(d_inode(dentry)))
		return -EPERM;

	lower_attr = *attr;
	/* The lower fs must not look at our struct file. */
	lower_attr.ia_valid &= ~ATTR_FILE;
	lower_attr.ia_file = NULL;
	/*
	 * notify_change() turned ATTR_KILL_S[UG]ID into an ATTR_MODE for the
	 * upper inode; the lower's notify_change() does that itself and refuses
	 * to get both.
	 */
	if (lower_attr.ia_valid & (ATTR_KILL_SUID | ATTR_KILL_SGID))
		lower_attr.ia_valid &= ~ATTR_MODE;

	err = verityfs_lower_want_write(sb);
	if (err)
		return err;
	/*
	 * A size change is a write: it must not get past an enable that has
	 * shut writers out of the lower inode (-ETXTBSY), as the VFS makes
	 * truncate(2) take write access to the inode it truncates.
	 */
	if (attr->ia_valid & ATTR_SIZE) {
		err = get_write_access(lower_inode);
		if (err)
			goto out_drop_write;
	}
	old = verityfs_lower_override_creds(sb);
	/* A verity file's tree is charged to its owner: the object follows a chown. */
	if ((attr->ia_valid & (ATTR_UID | ATTR_GID)) && verityfs_inode_is_verity(d_inode(dentry)))
		err = verityfs_store_chown(sb, lower, attr);
	if (!err) {
		inode_lock(lower_inode);
		err = verityfs_compat_notify_change(lower, &lower_attr);
		inode_unlock(lower_inode);
	}
	verityfs_lower_revert_creds(old);
	if (attr->ia_valid & ATTR_SIZE)
		put_write_access(lower_inode);
out_drop_write:
	verityfs_lower_drop_write(sb);
	verityfs_inode_copy_attr(d_inode(dentry), lower_inode);
	return err;
}

static const char *follow_lower_link(struct dentry *dentry, struct inode *inode,
				     struct delayed_call *done)
{
	const struct cred *old;
	const char *target;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	old = verityfs_lower_override_creds(dentry->d_sb);
	target = vfs_get_link(verityfs_lower_dentry(dentry), done);
	verityfs_lower_revert_creds(old);
	return target;
}

static int map_lower_extents(struct inode *inode, struct fiemap_extent_info *fieinfo,
			     u64 start, u64 len)
{
	struct inode *lower = verityfs_lower_inode(inode);
	const struct cred *old;
	int err;

	if (!lower->i_op->fiemap)
		return -EOPNOTSUPP;
	old = verityfs_lower_override_creds(inode->i_sb);
	err = lower->i_op->fiemap(lower, fieinfo, start, len);
	verityfs_lower_revert_creds(old);
	return err;
}

/*
 * atime through the mount follows the verityfs mount's flags: the lower
 * files are opened O_NOATIME, and touch_atime() on the upper path decides
 * (ro, noatime, nodiratime, relatime, strictatime) before it calls this.
 * The lower path's mount is verityfs's private clone without atime flags,
 * so only the lower superblock's own rules (e.g. SB_NOATIME) apply below,
 * as they would to a bind mount.
 */
static int update_lower_atime(struct inode *inode)
{
	struct dentry *alias = d_find_alias(inode);
	const struct cred *old;

	if (!alias)
		return 0;
	old = verityfs_lower_override_creds(inode->i_sb);
	touch_atime(&VERITYFS_E(alias)->lower_path);
	verityfs_lower_revert_creds(old);
	fsstack_copy_attr_atime(inode, verityfs_lower_inode(inode));
	dput(alias);
	return 0;
}

/* 6.6 took the time out of ->update_time; 7.0 names what to update with an enum. */
#if defined(HAVE_UPDATE_TIME_TYPE)
int verityfs_inode_update_time(struct inode *inode, enum fs_update_time type, unsigned int flags)
{
	return type == FS_UPD_ATIME ? update_lower_atime(inode) : 0;
}
#elif defined(HAVE_UPDATE_TIME_TS)
int verityfs_inode_update_time(struct inode *inode, struct timespec64 *now, int flags)
{
	return (flags & S_ATIME) ? update_lower_atime(inode) : 0;
}
#else
int verityfs_inode_update_time(struct inode *inode, int flags)
{
	return (flags & S_ATIME) ? update_lower_atime(inode) : 0;
}
#endif

#ifdef HAVE_ACL_DENTRY
/*
 * POSIX ACLs (6.2+ route them through these instead of xattr handlers; on
 * older kernels system.posix_acl_* pass through verityfs's xattr handler,
 * which makes the checks of set_posix_acl() itself). The VFS has checked
 * the caller's ownership here already.
 * ACLs are never cached in the upper inode: the lower is the only truth.
 */
static const char *acl_xattr_name(int type)
{
	return type == ACL_TYPE_ACCESS ? XATTR_NAME_POSIX_ACL_ACCESS :
					 XATTR_NAME_POSIX_ACL_DEFAULT;
}

struct posix_acl *verityfs_inode_get_acl(VERITYFS_IDMAP_PARAM struct dentry *dentry, int type)
{
	const struct cred *old;
	struct posix_acl *acl;

	old = verityfs_lower_override_creds(dentry->d_sb);
	acl = vfs_get_acl(&nop_mnt_idmap, verityfs_lower_dentry(dentry), acl_xattr_name(type));
	verityfs_lower_revert_creds(old);
	forget_all_cached_acls(d_inode(dentry));
	if (acl == ERR_PTR(-ENODATA) || acl == ERR_PTR(-EOPNOTSUPP))
		return NULL;
	return acl;
}

int verityfs_inode_set_acl(VERITYFS_IDMAP_PARAM struct dentry *dentry, struct posix_acl *acl,
			   int type)
{
	struct dentry *lower = verityfs_lower_dentry(dentry);
	int err;

	err = verityfs_lower_want_write(dentry->d_sb);
	if (err)
		return err;
	/*
	 * As the caller, not the mounter: the lower's owner check and its
	 * setgid rule (posix_acl_update_mode(), which some lowers apply on
	 * removal too) are then the ones it applies directly.
	 */
	if (acl)
		err = vfs_set_acl(&nop_mnt_idmap, lower, acl_xattr_name(type), acl);
	else
		err = vfs_remove_acl(&nop_mnt_idmap, lower, acl_xattr_name(type));
	if (err == -ENODATA && !acl)
		err = 0;
	verityfs_lower_drop_write(dentry->d_sb);
	forget_all_cached_acls(d_inode(dentry));
	verityfs_inode_copy_attr(d_inode(dentry), d_inode(lower));
	return err;
}
#endif

const struct inode_operations verityfs_inode_file_iops = {
	.permission	= verityfs_inode_permission,
	.getattr	= verityfs_inode_getattr,
	.setattr	= verityfs_inode_setattr,
	.listxattr	= verityfs_xattr_list,
	.update_time	= verityfs_inode_update_time,
	.fiemap		= map_lower_extents,
#if defined(HAVE_FILEATTR) || defined(HAVE_FILE_KATTR)
	.fileattr_get	= verityfs_ioctl_fileattr_get,
	.fileattr_set	= verityfs_ioctl_fileattr_set,
#endif
#ifdef HAVE_ACL_DENTRY
	.get_acl	= verityfs_inode_get_acl,
	.set_acl	= verityfs_inode_set_acl,
#endif
};

const struct inode_operations verityfs_inode_symlink_iops = {
	.get_link	= follow_lower_link,
	.permission	= verityfs_inode_permission,
	.getattr	= verityfs_inode_getattr,
	.setattr	= verityfs_inode_setattr,
	.listxattr	= verityfs_xattr_list,
	.update_time	= verityfs_inode_update_time,
};

const struct inode_operations verityfs_inode_special_iops = {
	.permission	= verityfs_inode_permission,
	.getattr	= verityfs_inode_getattr,
	.setattr	= verityfs_inode_setattr,
	.listxattr	= verityfs_xattr_list,
	.update_time	= verityfs_inode_update_time,
#ifdef HAVE_ACL_DENTRY
	.get_acl	= verityfs_inode_get_acl,
	.set_acl	= verityfs_inode_set_acl,
#endif
};
