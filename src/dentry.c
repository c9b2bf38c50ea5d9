// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: upper dentries: each carries its lower path, and the dentry
 * operations keep it true to the lower directory.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "verityfs.h"

static struct kmem_cache *verityfs_dentry_cachep;

/**
 * verityfs_dentry_info_set() - attach a lower path to a new upper dentry
 * @dentry: the upper dentry, without lower path yet
 * @lower_path: the lower path; its references pass to @dentry
 *
 * Return: 0, or -ENOMEM (the references are then dropped).
 */
int verityfs_dentry_info_set(struct dentry *dentry, const struct path *lower_path)
{
	struct verityfs_dentry_info *e;

	e = kmem_cache_zalloc(verityfs_dentry_cachep, GFP_KERNEL);
	if (!e) {
		path_put(lower_path);
		return -ENOMEM;
	}
	e->lower_path = *lower_path;
	dentry->d_fsdata = e;
	return 0;
}

/*
 * Whether the lower dentry still carries @name, by the lower directory's
 * own comparison: in a case-insensitive (casefolded) directory "FOO" finds
 * the lower dentry "foo".
 */
static bool lower_name_matches(struct dentry *lower_parent, struct dentry *lower,
			       const struct qstr *name)
{
	bool same;

	spin_lock(&lower->d_lock);
	if (lower_parent->d_flags & DCACHE_OP_COMPARE)
		same = !lower_parent->d_op->d_compare(lower, lower->d_name.len,
						      (const char *)lower->d_name.name, name);
	else
		same = lower->d_name.len == name->len &&
		       !memcmp(lower->d_name.name, name->name, name->len);
	spin_unlock(&lower->d_lock);
	return same;
}

/*
 * Whether the upper inode's attributes are still those of its lower inode:
 * every change the attribute copy carries (mode, owner, link count, times,
 * size) moves the lower ctime, and the copy takes the ctime along. atime
 * alone may lag; stat reads it from the lower anyway.
 */
static bool attrs_current(struct inode *inode, struct inode *lower)
{
	struct timespec64 upper_ctime = verityfs_compat_inode_ctime(inode);
	struct timespec64 lower_ctime = verityfs_compat_inode_ctime(lower);

	return timespec64_equal(&upper_ctime, &lower_ctime) &&
	       (verityfs_inode_is_verity(inode) || i_size_read(inode) == i_size_read(lower));
}

/*
 * The same checks as check_lower_dentry(), in RCU path walk: nothing may
 * sleep or take a reference. Whatever cannot be decided without (a lower
 * that changed, attributes to copy, a record to read) sends the walk to
 * ref-walk (-ECHILD), which makes the full check. The dentry infos are
 * freed after a grace period, and lower dentries and inodes are too, so
 * they can be read here; the walk's sequence counts catch a concurrent
 * rename or unlink of the upper dentry.
 */
static int check_lower_dentry_rcu(struct dentry *dentry, const struct qstr *name)
{
	struct dentry *parent = READ_ONCE(dentry->d_parent);
	struct verityfs_dentry_info *e = READ_ONCE(dentry->d_fsdata);
	struct verityfs_dentry_info *pe = READ_ONCE(parent->d_fsdata);
	struct dentry *lower, *lower_parent;
	struct inode *inode, *lower_inode;

	if (!e || !pe)
		return -ECHILD;
	lower = e->lower_path.dentry;
	lower_parent = READ_ONCE(lower->d_parent);
	if (d_unhashed(lower) || lower_parent != pe->lower_path.dentry ||
	    !lower_name_matches(lower_parent, lower, name))
		return -ECHILD;
	inode = d_inode_rcu(dentry);
	lower_inode = d_inode_rcu(lower);
	if (!inode)
		return lower_inode ? -ECHILD : 1;
	if (!lower_inode || lower_inode != READ_ONCE(VERITYFS_I(inode)->lower_inode) ||
	    !attrs_current(inode, lower_inode) || verityfs_open_refresh_needed(inode, true))
		return -ECHILD;
	return 1;
}

/*
 * An upper dentry stays valid while its lower dentry is still the one the
 * lower fs would find under the same name: hashed, under the lower dentry of
 * our parent, with the same name and the same inode (or still negative).
 * Anything changed directly in the lower directory fails one of these, and the
 * VFS looks the name up again. A valid positive dentry refreshes its inode's
 * attributes, so changes to the lower file show up too.
 */
static int check_lower_dentry(struct dentry *parent, const struct qstr *name,
			      struct dentry *dentry)
{
	struct dentry *lower;
	struct inode *inode;

	if (!VERITYFS_E(dentry) || !VERITYFS_E(parent))
		return 0;
	lower = verityfs_lower_dentry(dentry);
	/*
	 * Unhashed also covers the negative dentries a casefolded lower
	 * directory never hashes: the name is looked up again each time.
	 */
	if (d_unhashed(lower) || lower->d_parent != verityfs_lower_dentry(parent) ||
	    !lower_name_matches(lower->d_parent, lower, name))
		return 0;
	inode = d_inode(dentry);
	if (!inode)
		return d_really_is_negative(lower);
	if (d_inode(lower) != verityfs_lower_inode(inode))
		return 0;
	verityfs_inode_copy_attr(inode, d_inode(lower));
	verityfs_open_refresh(inode, dentry, true);
	return 1;
}

static int revalidate(struct dentry *dentry, const struct qstr *name, unsigned int flags)
{
	struct dentry *parent;
	int ret;

	if (flags & LOOKUP_RCU)
		return check_lower_dentry_rcu(dentry, name);
	parent = dget_parent(dentry);
	ret = check_lower_dentry(parent, name, dentry);
	dput(parent);
	return ret;
}

/* 6.14 gave ->d_revalidate the parent inode and a stable name. */
#ifdef HAVE_D_REVALIDATE_NAME
static int verityfs_d_revalidate(struct inode *dir, const struct qstr *name,
				 struct dentry *dentry, unsigned int flags)
{
	return revalidate(dentry, name, flags);
}
#else
/*
 * Before 6.14 the name is the dentry's own, which a concurrent rename may
 * change under us (and in RCU walk nothing holds it): compare a snapshot.
 */
static int verityfs_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct name_snapshot name;
	int ret;

	take_dentry_name_snapshot(&name, dentry);
	ret = revalidate(dentry, &name.name, flags);
	release_dentry_name_snapshot(&name);
	return ret;
}
#endif

static void dentry_info_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(verityfs_dentry_cachep,
			container_of(head, struct verityfs_dentry_info, rcu));
}

/* RCU path walk may still be reading the info: it goes after a grace period. */
static void verityfs_d_release(struct dentry *dentry)
{
	struct verityfs_dentry_info *e = VERITYFS_E(dentry);

	if (!e)
		return;
	WRITE_ONCE(dentry->d_fsdata, NULL);
	path_put(&e->lower_path);
	call_rcu(&e->rcu, dentry_info_free_rcu);
}

const struct dentry_operations verityfs_dentry_ops = {
	.d_revalidate	= verityfs_d_revalidate,
	.d_release	= verityfs_d_release,
};

/**
 * verityfs_dentry_cache_init() - create the "verityfs_dentry" cache
 *
 * Return: 0 or -ENOMEM.
 */
int verityfs_dentry_cache_init(void)
{
	verityfs_dentry_cachep = kmem_cache_create("verityfs_dentry",
						   sizeof(struct verityfs_dentry_info), 0,
						   SLAB_RECLAIM_ACCOUNT, NULL);
	return verityfs_dentry_cachep ? 0 : -ENOMEM;
}

/**
 * verityfs_dentry_cache_exit() - destroy the "verityfs_dentry" cache
 *
 * After the frees still waiting for their grace period.
 */
void verityfs_dentry_cache_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(verityfs_dentry_cachep);
}
