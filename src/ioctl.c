// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: ioctls: the fs-verity ioctls of every regular file, and the
 * attribute-flag ioctls (FS_IOC_GETFLAGS/SETFLAGS, FS_IOC_FSGETXATTR/
 * FSSETXATTR), which add the verity flag of a verity file to what the
 * lower reports.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/mm.h>
#include <linux/uaccess.h>

#include <verityfs/fsverity_abi.h>
#include <verityfs/ioctl.h>
#include "verityfs.h"

#if defined(HAVE_FILEATTR) || defined(HAVE_FILE_KATTR)
/*
 * FS_IOC_GETFLAGS/SETFLAGS and FS_IOC_FSGETXATTR/FSSETXATTR (5.13+). The
 * lower judges a change with the caller's credentials (owner,
 * CAP_LINUX_IMMUTABLE), as it would without verityfs.
 */
int verityfs_ioctl_fileattr_get(struct dentry *dentry, verityfs_fileattr_t *fa)
{
	const struct cred *old;
	int err;

	verityfs_open_refresh(d_inode(dentry), dentry, false);
	old = verityfs_lower_override_creds(dentry->d_sb);
	err = vfs_fileattr_get(verityfs_lower_dentry(dentry), fa);
	verityfs_lower_revert_creds(old);
	if (!err && verityfs_inode_is_verity(d_inode(dentry)))
		fa->flags |= VERITYFS_FL;	/* lsattr's 'V' */
	return err;
}

int verityfs_ioctl_fileattr_set(VERITYFS_IDMAP_PARAM struct dentry *dentry,
				verityfs_fileattr_t *fa)
{
	struct dentry *lower = verityfs_lower_dentry(dentry);
	int err;

	err = verityfs_lower_want_write(dentry->d_sb);
	if (err)
		return err;
	/* chattr hands back the verity flag it read: it is ours, not the lower's. */
	fa->flags &= ~VERITYFS_FL;
	err = vfs_fileattr_set(VERITYFS_NOP_IDMAP lower, fa);
	verityfs_lower_drop_write(dentry->d_sb);
	verityfs_inode_copy_attr(d_inode(dentry), d_inode(lower));
	return err;
}
#endif

/*
 * FS_IOC_SETFLAGS with the verity flag taken out, for a lower that reads
 * its argument from user memory (5.10): from a page of our own in the
 * caller's address space, so that the caller's buffer is neither written
 * nor required to be writable.
 */
static long set_lower_flags(struct file *lower, int flags)
{
	unsigned long addr;
	long ret;

	addr = vm_mmap(NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return (long)addr;
	ret = put_user(flags, (int __user *)addr) ? -EFAULT :
		lower->f_op->unlocked_ioctl(lower, FS_IOC_SETFLAGS, addr);
	vm_munmap(addr, PAGE_SIZE);
	return ret;
}

/*
 * 5.10 has no ->fileattr_get/set, so FS_IOC_GETFLAGS/SETFLAGS of a verity
 * file arrive here: add FS_VERITY_FL to what the lower reports, and take it
 * out of what chattr writes back before the lower sees it. The lower judges
 * the caller with the caller's own credentials.
 */
static long verity_flags_ioctl(struct file *file, struct file *lower, unsigned int cmd,
			       int __user *uflags)
{
	long ret;
	int flags = 0;

	if (!lower->f_op->unlocked_ioctl)
		ret = -ENOTTY;
	else if (cmd == FS_IOC_GETFLAGS)
		ret = lower->f_op->unlocked_ioctl(lower, cmd, (unsigned long)uflags);
	else if (get_user(flags, uflags))
		return -EFAULT;
	else if (flags & VERITYFS_FL)
		ret = set_lower_flags(lower, flags & ~VERITYFS_FL);
	else
		ret = lower->f_op->unlocked_ioctl(lower, cmd, (unsigned long)uflags);
	if (cmd == FS_IOC_GETFLAGS) {
		/* A lower without flags (5.10's tmpfs) still has a verity file. */
		if (ret == -ENOTTY || ret == -EOPNOTSUPP) {
			ret = 0;
			flags = 0;
		} else if (!ret && get_user(flags, uflags)) {
			return -EFAULT;
		}
		if (!ret && put_user(flags | VERITYFS_FL, uflags))
			return -EFAULT;
	}
	return ret;
}

/*
 * The verity state an ioctl reports on: NULL for a plain file (the ioctls
 * then fail with ENODATA, as upstream's), else the state, loaded now if
 * this is its first use.
 */
static struct verityfs_verity_info *ioctl_verity_info(struct file *file)
{
	struct inode *inode = file_inode(file);

	if (!S_ISREG(inode->i_mode))
		return NULL;
	verityfs_open_refresh(inode, file->f_path.dentry, false);
	if (!verityfs_inode_is_verity(inode))
		return NULL;
	return verityfs_open_get_info(inode, file->f_path.dentry);
}

/**
 * verityfs_ioctl_dispatch() - ioctls of regular files and directories
 * @file: the upper file
 * @cmd: the ioctl
 * @arg: its argument
 *
 * The fs-verity ioctls are verityfs's own. Since 5.13 the VFS answers the
 * attribute ioctls through ->fileattr_get/set; on 5.10 they arrive here and
 * go to the lower file, which judges the caller with the caller's own
 * credentials. Other ioctls are not forwarded: an unknown ioctl could
 * change the lower file behind verityfs's back.
 *
 * Return: the ioctl's result, or -ENOTTY.
 */
long verityfs_ioctl_dispatch(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct file *lower = file->private_data;
	struct inode *inode = file_inode(file);
	struct verityfs_verity_info *vi;
	long ret;

	switch (cmd) {
	case VERITYFS_IOC_ENABLE_VERITY:
		return verityfs_enable_ioctl(file, (void __user *)arg);
	case VERITYFS_IOC_ENABLE_FROM_TREE:
		return verityfs_enable_from_tree_ioctl(file, (void __user *)arg);
	case VERITYFS_IOC_MEASURE_VERITY:
	case VERITYFS_IOC_READ_VERITY_METADATA:
		vi = ioctl_verity_info(file);
		if (IS_ERR(vi))
			return PTR_ERR(vi);
		if (cmd == VERITYFS_IOC_MEASURE_VERITY)
			return verityfs_measure_ioctl(vi, (void __user *)arg);
		return verityfs_read_metadata_ioctl(vi, (void __user *)arg);
	case FS_IOC_GETFLAGS:
	case FS_IOC_SETFLAGS:
	case FS_IOC_FSGETXATTR:
	case FS_IOC_FSSETXATTR:
	case FS_IOC_GETVERSION:
		break;
	default:
		return verityfs_selftest_ioctl(file, cmd, arg);
	}
	if (S_ISREG(inode->i_mode))
		verityfs_open_refresh(inode, file->f_path.dentry, false);
	/*
	 * A change made through a read-only verityfs mount is refused here:
	 * the lower checks only its own mount, which may be writable.
	 */
	if (cmd == FS_IOC_SETFLAGS || cmd == FS_IOC_FSSETXATTR) {
		ret = mnt_want_write_file(file);
		if (ret)
			return ret;
	}
	if (verityfs_inode_is_verity(inode) &&
	    (cmd == FS_IOC_GETFLAGS || cmd == FS_IOC_SETFLAGS))
		ret = verity_flags_ioctl(file, lower, cmd, (int __user *)arg);
	else if (!lower->f_op->unlocked_ioctl)
		ret = -ENOTTY;
	else
		ret = lower->f_op->unlocked_ioctl(lower, cmd, arg);
	if (cmd == FS_IOC_SETFLAGS || cmd == FS_IOC_FSSETXATTR)
		mnt_drop_write_file(file);
	verityfs_inode_copy_attr(file_inode(file), file_inode(lower));
	return ret;
}

/**
 * verityfs_ioctl_compat() - ioctls of 32-bit callers
 * @file: the upper file
 * @cmd: the ioctl
 * @arg: its argument, a 32-bit pointer
 *
 * The fs-verity structures have the same layout for 32-bit callers. The
 * 32-bit flags ioctls carry their own numbers; kernels before 5.13 leave
 * their translation to each filesystem.
 *
 * Return: as verityfs_ioctl_dispatch().
 */
long verityfs_ioctl_compat(struct file *file, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case FS_IOC32_GETFLAGS:
		cmd = FS_IOC_GETFLAGS;
		break;
	case FS_IOC32_SETFLAGS:
		cmd = FS_IOC_SETFLAGS;
		break;
	case FS_IOC32_GETVERSION:
		cmd = FS_IOC_GETVERSION;
		break;
	}
	return verityfs_ioctl_dispatch(file, cmd, (unsigned long)compat_ptr(arg));
}
