// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: directory inode operations: lookup and every namespace change
 * (create, mkdir, mknod, symlink, link, unlink, rmdir, rename), passed
 * through to the lower directory.
 *
 * Each upper dentry carries its lower dentry from lookup on. A change locks
 * the lower parent, checks that the lower dentry is still the one under that
 * parent (-ESTALE makes the VFS walk again), calls the lower vfs_* helper with
 * the mounter's credentials and instantiates the upper dentry from the result.
 * New objects are owned by the caller (fsuid/fsgid), not by the mounter.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>

#include "verityfs.h"

/* A case-insensitive lower finds the store under another spelling too. */
static bool is_store_dentry(struct dentry *parent, struct dentry *lower)
{
	bool ret;

	if (!IS_ROOT(parent))
		return false;
	spin_lock(&lower->d_lock);
	ret = verityfs_store_is_dir_name(parent, (const char *)lower->d_name.name,
					 lower->d_name.len);
	spin_unlock(&lower->d_lock);
	return ret;
}

static struct dentry *find_lower_entry(struct inode *dir, struct dentry *dentry,
				       unsigned int flags)
{
	struct dentry *parent = dentry->d_parent;	/* stable: @dir is locked */
	struct path *lower_parent = &VERITYFS_E(parent)->lower_path;
	struct inode *inode = NULL;
	const struct cred *old;
	struct path lower_path;
	struct dentry *lower;
	int err;

	/* The metadata store does not exist for users of the mount. */
	if (verityfs_store_is_dir_name(parent, dentry->d_name.name, dentry->d_name.len))
		return ERR_PTR(-ENOENT);

	old = verityfs_lower_override_creds(dir->i_sb);
	lower = verityfs_compat_lookup_unlocked(dentry->d_name.name, dentry->d_name.len,
						lower_parent->dentry);
	verityfs_lower_revert_creds(old);
	if (IS_ERR(lower))
		return ERR_CAST(lower);
	if (is_store_dentry(parent, lower)) {
		dput(lower);
		return ERR_PTR(-ENOENT);
	}

	lower_path.mnt = mntget(lower_parent->mnt);
	lower_path.dentry = lower;
	err = verityfs_dentry_info_set(dentry, &lower_path);
	if (err)
		return ERR_PTR(err);
	if (d_really_is_positive(lower)) {
		inode = verityfs_inode_get(dir->i_sb, d_inode(lower));
		if (IS_ERR(inode))
			return ERR_CAST(inode);
		/* A verity file gets its verified page cache before anyone opens it. */
		verityfs_open_refresh(inode, dentry, true);
	}
	return d_splice_alias(inode, dentry);
}

/*
 * Give the upper dentry the inode of a lower dentry that a create, mkdir,
 * mknod, symlink or link just made, with the lower parent still locked. A
 * lower may leave its dentry negative or unhashed (ext4 hashes no dentry of
 * a casefolded directory's lookups): the name is then looked up again. Only
 * if that finds nothing is ours left unhashed, for the next lookup; a
 * create, whose caller (open) needs the inode, then fails with ESTALE.
 */
static int attach_lower_result(struct dentry *dentry, struct dentry *lower, bool need_inode)
{
	struct verityfs_dentry_info *e = VERITYFS_E(dentry);
	struct dentry *found = NULL;
	struct inode *inode;

	if (d_really_is_negative(lower) || d_unhashed(lower)) {
		found = verityfs_compat_lookup_locked(lower->d_parent, &lower->d_name);
		if (IS_ERR(found))
			return PTR_ERR(found);
		if (d_really_is_negative(found) || d_unhashed(found)) {
			dput(found);
			d_drop(dentry);
			return need_inode ? -ESTALE : 0;
		}
		lower = found;
	}
	if (lower != e->lower_path.dentry) {
		/* vfs_mkdir() may hand back another dentry (6.15+). */
		struct dentry *stale = e->lower_path.dentry;

		e->lower_path.dentry = dget(lower);
		dput(stale);
	}
	dput(found);
	inode = verityfs_inode_get(dentry->d_sb, d_inode(lower));
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(dentry, inode);
	return 0;
}

/* Create a regular file, directory, device, fifo, socket or symlink on the lower. */
static int make_lower_object(struct inode *dir, struct dentry *dentry, umode_t mode,
			     dev_t rdev, const char *target)
{
	struct super_block *sb = dir->i_sb;
	struct dentry *lower_parent = verityfs_lower_dentry(dentry->d_parent);
	struct inode *lower_dir = d_inode(lower_parent);
	const struct cred *old;
	const struct cred *cred;
	struct dentry *lower;
	int err;

	err = verityfs_lower_want_write(sb);
	if (err)
		return err;
	cred = verityfs_lower_creator_creds(sb);
	if (!cred) {
		err = -ENOMEM;
		goto out_write;
	}
	old = override_creds(cred);
	lower = verityfs_compat_start_creating(lower_parent, &dentry->d_name);
	if (IS_ERR(lower)) {
		err = PTR_ERR(lower);
		goto out_creds;
	}
	switch (mode & S_IFMT) {
	case S_IFDIR:
		/* On failure the lower parent is unlocked already. */
		lower = verityfs_compat_vfs_mkdir(lower_dir, lower, mode);
		err = PTR_ERR_OR_ZERO(lower);
		if (err)
			goto out_copy;
		break;
	case S_IFREG:
		err = verityfs_compat_vfs_create(lower_dir, lower, mode);
		break;
	case S_IFLNK:
		err = verityfs_compat_vfs_symlink(lower_dir, lower, target);
		break;
	default:
		err = verityfs_compat_vfs_mknod(lower_dir, lower, mode, rdev);
		break;
	}
	if (!err)
		err = attach_lower_result(dentry, lower, S_ISREG(mode));
	verityfs_compat_end_creating(lower);
out_copy:
	verityfs_inode_copy_attr(dir, lower_dir);
out_creds:
	revert_creds(old);
	put_cred(cred);
out_write:
	verityfs_lower_drop_write(sb);
	return err;
}

static int create_regular(VERITYFS_IDMAP_PARAM struct inode *dir, struct dentry *dentry,
			  umode_t mode, bool excl)
{
	return make_lower_object(dir, dentry, (mode & ~S_IFMT) | S_IFREG, 0, NULL);
}

#ifdef HAVE_VFS_MKDIR_DENTRY
static struct dentry *make_directory(VERITYFS_IDMAP_PARAM struct inode *dir,
				     struct dentry *dentry, umode_t mode)
{
	/* NULL: the dentry we were given is the new directory. */
	return ERR_PTR(make_lower_object(dir, dentry, (mode & ~S_IFMT) | S_IFDIR, 0, NULL));
}
#else
static int make_directory(VERITYFS_IDMAP_PARAM struct inode *dir, struct dentry *dentry,
			  umode_t mode)
{
	return make_lower_object(dir, dentry, (mode & ~S_IFMT) | S_IFDIR, 0, NULL);
}
#endif

static int make_node(VERITYFS_IDMAP_PARAM struct inode *dir, struct dentry *dentry,
		     umode_t mode, dev_t rdev)
{
	return make_lower_object(dir, dentry, mode, rdev, NULL);
}

static int make_symlink(VERITYFS_IDMAP_PARAM struct inode *dir, struct dentry *dentry,
			const char *target)
{
	return make_lower_object(dir, dentry, S_IFLNK | 0777, 0, target);
}

static int link_lower(struct dentry *old_dentry, struct inode *dir, struct dentry *new_dentry)
{
	struct super_block *sb = dir->i_sb;
	struct dentry *lower_parent = verityfs_lower_dentry(new_dentry->d_parent);
	struct inode *lower_dir = d_inode(lower_parent);
	struct inode *inode = d_inode(old_dentry);
	const struct cred *old;
	struct dentry *lower;
	int err;

	err = verityfs_lower_want_write(sb);
	if (err)
		return err;
	old = verityfs_lower_override_creds(sb);
	lower = verityfs_compat_start_creating(lower_parent, &new_dentry->d_name);
	if (IS_ERR(lower)) {
		err = PTR_ERR(lower);
	} else {
		err = verityfs_compat_vfs_link(verityfs_lower_dentry(old_dentry), lower_dir, lower);
		if (!err)
			err = attach_lower_result(new_dentry, lower, false);
		verityfs_compat_end_creating(lower);
	}
	verityfs_lower_revert_creds(old);
	verityfs_lower_drop_write(sb);
	verityfs_inode_copy_attr(dir, lower_dir);
	verityfs_inode_copy_attr(inode, verityfs_lower_inode(inode));
	return err;
}

/* unlink (@dir_op false) or rmdir (@dir_op true) on the lower. */
static int remove_lower_entry(struct inode *dir, struct dentry *dentry, bool dir_op)
{
	struct super_block *sb = dir->i_sb;
	struct dentry *lower_parent = verityfs_lower_dentry(dentry->d_parent);
	struct inode *lower_dir = d_inode(lower_parent);
	struct inode *inode = d_inode(dentry);
	struct verityfs_store_ref ref;
	const struct cred *old;
	struct dentry *lower;
	bool has_object;
	int err;

	err = verityfs_lower_want_write(sb);
	if (err)
		return err;
	/* A verity file's metadata goes with its last name. */
	if (!dir_op)
		verityfs_open_refresh(inode, dentry, true);
	has_object = !dir_op && verityfs_inode_is_verity(inode) &&
		     verityfs_store_find(sb, verityfs_lower_dentry(dentry), &ref);
	old = verityfs_lower_override_creds(sb);
	lower = verityfs_compat_start_removing(lower_parent, verityfs_lower_dentry(dentry));
	if (IS_ERR(lower)) {
		err = PTR_ERR(lower);
	} else {
		if (dir_op)
			err = verityfs_compat_vfs_rmdir(lower_dir, lower);
		else
			err = verityfs_compat_vfs_unlink(lower_dir, lower);
		verityfs_compat_end_removing(lower);
	}
	verityfs_lower_revert_creds(old);
	/* Open files keep reading: their tree file stays open after the unlink. */
	if (has_object)
		verityfs_store_put(sb, &ref, !err && verityfs_lower_inode(inode)->i_nlink == 0);
	verityfs_lower_drop_write(sb);
	verityfs_inode_copy_attr(dir, lower_dir);
	verityfs_inode_copy_attr(inode, verityfs_lower_inode(inode));
	if (!err && dir_op)
		clear_nlink(inode);
	return err;
}

static int unlink_lower(struct inode *dir, struct dentry *dentry)
{
	return remove_lower_entry(dir, dentry, false);
}

static int remove_directory(struct inode *dir, struct dentry *dentry)
{
	return remove_lower_entry(dir, dentry, true);
}

static int rename_lower(VERITYFS_IDMAP_PARAM struct inode *old_dir, struct dentry *old_dentry,
			struct inode *new_dir, struct dentry *new_dentry, unsigned int flags)
{
	struct super_block *sb = old_dir->i_sb;
	struct dentry *lower_old_parent = verityfs_lower_dentry(old_dentry->d_parent);
	struct dentry *lower_new_parent = verityfs_lower_dentry(new_dentry->d_parent);
	struct inode *target = d_inode(new_dentry);
	const struct cred *cred = NULL;
	struct verityfs_store_ref ref;
	const struct cred *old;
	bool has_object = false;
	int err;

	err = verityfs_lower_want_write(sb);
	if (err)
		return err;
	/* A verity file replaced by the rename loses a name, maybe its last. */
	if (target && S_ISREG(target->i_mode) && !(flags & RENAME_EXCHANGE)) {
		verityfs_open_refresh(target, new_dentry, true);
		has_object = verityfs_inode_is_verity(target) &&
			     verityfs_store_find(sb, verityfs_lower_dentry(new_dentry), &ref);
	}
	if (flags & RENAME_WHITEOUT) {
		/* The whiteout left behind is a new object: the caller's. */
		cred = verityfs_lower_creator_creds(sb);
		if (!cred) {
			if (has_object)
				verityfs_store_put(sb, &ref, false);
			verityfs_lower_drop_write(sb);
			return -ENOMEM;
		}
		old = override_creds(cred);
	} else {
		old = verityfs_lower_override_creds(sb);
	}
	err = verityfs_compat_rename(lower_old_parent, verityfs_lower_dentry(old_dentry),
				     lower_new_parent, verityfs_lower_dentry(new_dentry), flags);
	verityfs_lower_revert_creds(old);
	if (cred)
		put_cred(cred);
	if (has_object)
		verityfs_store_put(sb, &ref, !err && verityfs_lower_inode(target)->i_nlink == 0);
	verityfs_lower_drop_write(sb);

	verityfs_inode_copy_attr(old_dir, d_inode(lower_old_parent));
	if (new_dir != old_dir)
		verityfs_inode_copy_attr(new_dir, d_inode(lower_new_parent));
	verityfs_inode_copy_attr(d_inode(old_dentry), verityfs_lower_inode(d_inode(old_dentry)));
	if (target)
		verityfs_inode_copy_attr(target, verityfs_lower_inode(target));
	return err;
}

const struct inode_operations verityfs_namei_dir_iops = {
	.lookup		= find_lower_entry,
	.create		= create_regular,
	.mkdir		= make_directory,
	.mknod		= make_node,
	.symlink	= make_symlink,
	.link		= link_lower,
	.unlink		= unlink_lower,
	.rmdir		= remove_directory,
	.rename		= rename_lower,
	/* No ->tmpfile: O_TMPFILE gets a clean EOPNOTSUPP from the VFS. */
	.permission	= verityfs_inode_permission,
	.getattr	= verityfs_inode_getattr,
	.setattr	= verityfs_inode_setattr,
	.listxattr	= verityfs_xattr_list,
	.update_time	= verityfs_inode_update_time,
#if defined(HAVE_FILEATTR) || defined(HAVE_FILE_KATTR)
	.fileattr_get	= verityfs_ioctl_fileattr_get,
	.fileattr_set	= verityfs_ioctl_fileattr_set,
#endif
#ifdef HAVE_ACL_DENTRY
	.get_acl	= verityfs_inode_get_acl,
	.set_acl	= verityfs_inode_set_acl,
#endif
};
