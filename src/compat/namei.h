/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: lookups and namespace changes in the lower directory.
 *
 * Every wrapper has today's (7.x) shape. The lock helpers follow the 6.19
 * start_creating_dentry()/start_removing_dentry() contract on every kernel:
 * on success the lower parent is locked and the child carries an extra
 * reference, both dropped by the matching end_*(); a child that no longer
 * sits under that parent gives -ESTALE, so the VFS retries the whole path
 * walk with LOOKUP_REVAL and our d_revalidate throws the stale dentry away.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_NAMEI_H
#define _VX_COMPAT_NAMEI_H

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/dcache.h>

#include "idmap.h"

/* 6.16: lookup_one_len_unlocked() became lookup_noperm_unlocked(qstr). */
static inline struct dentry *verityfs_compat_lookup_unlocked(const char *name, int len,
							     struct dentry *base)
{
#ifdef HAVE_LOOKUP_NOPERM
	struct qstr q = QSTR_INIT(name, len);

	return lookup_noperm_unlocked(&q, base);
#else
	return lookup_one_len_unlocked(name, base, len);
#endif
}

static inline struct dentry *verityfs_compat_stale(struct dentry *d)
{
	return (IS_ERR(d) && PTR_ERR(d) == -EINVAL) ? ERR_PTR(-ESTALE) : d;
}

/* Look @name up in @parent, which the caller has locked. */
static inline struct dentry *verityfs_compat_lookup_locked(struct dentry *parent,
							   const struct qstr *name)
{
#ifdef HAVE_LOOKUP_NOPERM
	struct qstr q = QSTR_INIT(name->name, name->len);

	return lookup_noperm(&q, parent);
#else
	return lookup_one_len((const char *)name->name, parent, name->len);
#endif
}

/*
 * Creations lock the lower parent and look the name up again under the
 * lock, rather than trusting the dentry of the upper lookup: a casefolded
 * directory never hashes its negative dentries, so that one cannot be
 * checked for staleness. The child comes back negative, or positive when
 * the name exists (the vfs_* call then fails with EEXIST, as on the lower).
 */
#if defined(HAVE_START_CREATING_NOPERM)
static inline struct dentry *verityfs_compat_start_creating(struct dentry *parent,
							    const struct qstr *name)
{
	struct qstr q = QSTR_INIT(name->name, name->len);

	return start_creating_noperm(parent, &q);
}
#else
static inline struct dentry *verityfs_compat_start_creating(struct dentry *parent,
							    const struct qstr *name)
{
	struct dentry *child;

	inode_lock_nested(d_inode(parent), I_MUTEX_PARENT);
	child = verityfs_compat_lookup_locked(parent, name);
	if (IS_ERR(child))
		inode_unlock(d_inode(parent));
	return child;
}
#endif

#ifdef HAVE_START_CREATING_DENTRY

static inline void verityfs_compat_end_creating(struct dentry *child)
{
	end_creating(child);
}

static inline struct dentry *verityfs_compat_start_removing(struct dentry *parent,
							    struct dentry *child)
{
	return verityfs_compat_stale(start_removing_dentry(parent, child));
}

static inline void verityfs_compat_end_removing(struct dentry *child)
{
	end_removing(child);
}

#else /* before 6.19: lock the lower parent by hand */

static inline struct dentry *verityfs_compat_lock_child(struct dentry *parent,
							struct dentry *child)
{
	inode_lock_nested(d_inode(parent), I_MUTEX_PARENT);
	if (unlikely(IS_DEADDIR(d_inode(parent)) || child->d_parent != parent ||
		     d_unhashed(child))) {
		inode_unlock(d_inode(parent));
		return ERR_PTR(-ESTALE);
	}
	return dget(child);
}

static inline void verityfs_compat_end_creating(struct dentry *child)
{
	if (IS_ERR_OR_NULL(child))
		return;
	inode_unlock(d_inode(child->d_parent));
	dput(child);
}

static inline struct dentry *verityfs_compat_start_removing(struct dentry *parent,
							    struct dentry *child)
{
	return verityfs_compat_lock_child(parent, child);
}

static inline void verityfs_compat_end_removing(struct dentry *child)
{
	verityfs_compat_end_creating(child);
}

#endif /* HAVE_START_CREATING_DENTRY */

/* 6.19: vfs_create() lost @dir and its bool, and gained a delegated_inode. */
static inline int verityfs_compat_vfs_create(struct inode *dir, struct dentry *dentry,
					     umode_t mode)
{
#ifdef HAVE_VFS_DELEGATED_INODE
	return vfs_create(&nop_mnt_idmap, dentry, mode, NULL);
#else
	return vfs_create(VERITYFS_NOP_IDMAP dir, dentry, mode, true);
#endif
}

/*
 * vfs_mkdir() returns the new dentry since 6.15 and unlocks the parent on
 * failure since 6.19. This wrapper has the 6.19 contract everywhere: on
 * failure the reference from start_creating is gone and the parent unlocked.
 */
static inline struct dentry *verityfs_compat_vfs_mkdir(struct inode *dir, struct dentry *dentry,
						       umode_t mode)
{
	struct dentry *ret;

#if defined(HAVE_VFS_DELEGATED_INODE)
	ret = vfs_mkdir(&nop_mnt_idmap, dir, dentry, mode, NULL);
#elif defined(HAVE_VFS_MKDIR_DENTRY)
	ret = vfs_mkdir(VERITYFS_NOP_IDMAP dir, dentry, mode);
#else
	int err = vfs_mkdir(VERITYFS_NOP_IDMAP dir, dentry, mode);

	if (err)
		dput(dentry);
	ret = err ? ERR_PTR(err) : dentry;
#endif
#ifndef HAVE_START_CREATING_DENTRY
	if (IS_ERR(ret))
		inode_unlock(dir);
#endif
	return ret;
}

static inline int verityfs_compat_vfs_mknod(struct inode *dir, struct dentry *dentry,
					    umode_t mode, dev_t dev)
{
#ifdef HAVE_VFS_DELEGATED_INODE
	return vfs_mknod(&nop_mnt_idmap, dir, dentry, mode, dev, NULL);
#else
	return vfs_mknod(VERITYFS_NOP_IDMAP dir, dentry, mode, dev);
#endif
}

static inline int verityfs_compat_vfs_symlink(struct inode *dir, struct dentry *dentry,
					      const char *target)
{
#ifdef HAVE_VFS_DELEGATED_INODE
	return vfs_symlink(&nop_mnt_idmap, dir, dentry, target, NULL);
#else
	return vfs_symlink(VERITYFS_NOP_IDMAP dir, dentry, target);
#endif
}

static inline int verityfs_compat_vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
#ifdef HAVE_VFS_DELEGATED_INODE
	return vfs_rmdir(&nop_mnt_idmap, dir, dentry, NULL);
#else
	return vfs_rmdir(VERITYFS_NOP_IDMAP dir, dentry);
#endif
}

/* The delegation argument is a pointer on every kernel (inode **, then 6.19's struct). */
static inline int verityfs_compat_vfs_link(struct dentry *old, struct inode *dir,
					   struct dentry *new)
{
	return vfs_link(old, VERITYFS_NOP_IDMAP dir, new, NULL);
}

static inline int verityfs_compat_vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	return vfs_unlink(VERITYFS_NOP_IDMAP dir, dentry, NULL);
}

/*
 * Rename @old (under @old_parent) over @new (under @new_parent) on the lower
 * fs, locking both parents. struct renamedata has had four layouts (Debian
 * 5.10's backport, 5.12 userns, 6.3 idmap, 6.19 parent dentries). A
 * negative @new that is unhashed (a casefolded directory's) is looked up
 * again under the lock; anything else that moved gives -ESTALE.
 */
static inline int verityfs_compat_rename(struct dentry *old_parent, struct dentry *old,
					 struct dentry *new_parent, struct dentry *new,
					 unsigned int flags)
{
#ifdef HAVE_RENAMEDATA
	struct renamedata rd = {};
#endif
	int err;
#ifdef HAVE_START_CREATING_DENTRY
	rd.mnt_idmap = &nop_mnt_idmap;
	rd.old_parent = old_parent;
	rd.new_parent = new_parent;
	rd.flags = flags;
	if (d_really_is_negative(new) && d_unhashed(new)) {
		struct qstr q = QSTR_INIT(new->d_name.name, new->d_name.len);

		err = start_renaming_dentry(&rd, 0, old, &q);
		if (!err && d_really_is_positive(rd.new_dentry)) {
			end_renaming(&rd);
			err = -ESTALE;
		}
	} else {
		err = start_renaming_two_dentries(&rd, old, new);
	}
	if (err)
		return err == -EINVAL ? -ESTALE : err;
	rd.flags = flags;
	err = vfs_rename(&rd);
	end_renaming(&rd);
	return err;
#else
	struct dentry *trap = lock_rename(old_parent, new_parent);
	struct dentry *target = NULL;

	if (IS_ERR(trap))
		return PTR_ERR(trap);
	err = -ESTALE;
	if (old->d_parent != old_parent || new->d_parent != new_parent || d_unhashed(old))
		goto out;
	if (d_unhashed(new)) {
		if (d_really_is_positive(new))
			goto out;
		target = verityfs_compat_lookup_locked(new_parent, &new->d_name);
		err = PTR_ERR_OR_ZERO(target);
		if (err) {
			target = NULL;
			goto out;
		}
		err = -ESTALE;
		if (d_really_is_positive(target))
			goto out;
		new = target;
	}
	err = -EINVAL;
	if (trap == old)
		goto out;
	err = -ENOTEMPTY;
	if (trap == new)
		goto out;
#if !defined(HAVE_RENAMEDATA)
	/* Debian 5.10 ABIs before the renamedata backport (e.g. 5.10.0-30). */
	err = vfs_rename(d_inode(old_parent), old, d_inode(new_parent), new, NULL, flags);
#else
#if defined(HAVE_RENAMEDATA_OLD_PARENT)
	rd.mnt_idmap = &nop_mnt_idmap;
	rd.old_parent = old_parent;
	rd.new_parent = new_parent;
#elif defined(HAVE_RENAMEDATA_OLD_MNT_IDMAP)
	rd.old_mnt_idmap = &nop_mnt_idmap;
	rd.new_mnt_idmap = &nop_mnt_idmap;
	rd.old_dir = d_inode(old_parent);
	rd.new_dir = d_inode(new_parent);
#elif defined(HAVE_RENAMEDATA_OLD_MNT_USERNS)
	rd.old_mnt_userns = &init_user_ns;
	rd.new_mnt_userns = &init_user_ns;
	rd.old_dir = d_inode(old_parent);
	rd.new_dir = d_inode(new_parent);
#else
	rd.old_dir = d_inode(old_parent);
	rd.new_dir = d_inode(new_parent);
#endif
	rd.old_dentry = old;
	rd.new_dentry = new;
	rd.flags = flags;
	err = vfs_rename(&rd);
#endif /* HAVE_RENAMEDATA */
out:
	unlock_rename(old_parent, new_parent);
	dput(target);
	return err;
#endif
}

#endif /* _VX_COMPAT_NAMEI_H */
