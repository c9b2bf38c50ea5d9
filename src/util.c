// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: stacking helpers (credentials, attribute copy, reserved names)
 * and the dentry operations that keep upper dentries true to the lower.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_stack.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "verityfs.h"

static struct kmem_cache *verityfs_dentry_cachep;

/**
 * verityfs_override_creds() - run the following lower operations as the mounter
 * @sb: the verityfs superblock
 *
 * The superblock holds its own reference to the credentials for the mount's
 * lifetime, which makes this correct both before 6.14 (override_creds takes a
 * reference) and after (it takes none).
 *
 * Return: the credentials to hand back to verityfs_revert_creds().
 */
const struct cred *verityfs_override_creds(struct super_block *sb)
{
	return override_creds(VERITYFS_SB(sb)->creds);
}

/**
 * verityfs_revert_creds() - end a verityfs_override_creds() section
 * @old: what verityfs_override_creds() returned
 */
void verityfs_revert_creds(const struct cred *old)
{
	revert_creds(old);
}

/**
 * verityfs_creator_creds() - the mounter's credentials, owning like the caller
 * @sb: the verityfs superblock
 *
 * New lower objects must belong to the caller, not to the mounter: this is a
 * copy of the mounter's credentials with the caller's fsuid and fsgid. The
 * caller overrides with it, reverts, then drops it with put_cred().
 *
 * Return: new credentials, or NULL when out of memory.
 */
struct cred *verityfs_creator_creds(struct super_block *sb)
{
	kuid_t fsuid = current_fsuid();
	kgid_t fsgid = current_fsgid();
	const struct cred *old;
	struct cred *cred;

	old = verityfs_override_creds(sb);
	cred = prepare_creds();
	verityfs_revert_creds(old);
	if (!cred)
		return NULL;
	cred->fsuid = fsuid;
	cred->fsgid = fsgid;
	return cred;
}

/* Inode flags the VFS itself enforces on the upper inode, mirrored from the lower. */
#define VERITYFS_MIRRORED_FLAGS	(S_SYNC | S_NOATIME | S_APPEND | S_IMMUTABLE | S_DIRSYNC)

/**
 * verityfs_copy_attr() - refresh an upper inode from its lower inode
 * @inode: the upper inode
 * @lower: its lower inode
 *
 * Mode, owner, times, link count and size follow the lower. Of the inode
 * flags only those the VFS enforces are mirrored, so that flags of the upper
 * inode's own (S_VERITY of a verityfs verity file) survive. A verity file
 * keeps the size its metadata covers: the upper page cache is filled up to
 * i_size, so a lower resized behind the mount must not move it (reads of an
 * open file then fail verification instead of returning another length;
 * new opens fail the size check).
 */
void verityfs_copy_attr(struct inode *inode, struct inode *lower)
{
	unsigned int flags = inode->i_flags;

	fsstack_copy_attr_all(inode, lower);
	if (!verityfs_inode_is_verity(inode))
		fsstack_copy_inode_size(inode, lower);
	inode->i_flags = (flags & ~VERITYFS_MIRRORED_FLAGS) |
			 (lower->i_flags & VERITYFS_MIRRORED_FLAGS);
}

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

/**
 * verityfs_is_store_name() - is this the hidden metadata directory?
 * @parent: the upper parent directory
 * @name: the name looked up or listed in it
 * @len: its length
 *
 * Only the store at the root of the mount is hidden; a ".verityfs" deeper in
 * the tree is an ordinary name.
 */
bool verityfs_is_store_name(const struct dentry *parent, const char *name, unsigned int len)
{
	return IS_ROOT(parent) && len == sizeof(VERITYFS_STORE_NAME) - 1 &&
	       !memcmp(name, VERITYFS_STORE_NAME, len);
}

/**
 * verityfs_is_reserved_xattr() - is this one of verityfs's own xattr names?
 * @name: the full xattr name
 *
 * Return: true for "trusted.verityfs" and every "trusted.verityfs.*".
 */
bool verityfs_is_reserved_xattr(const char *name)
{
	size_t n = sizeof(VERITYFS_XATTR_NAME) - 1;

	return !strncmp(name, VERITYFS_XATTR_NAME, n) && (name[n] == '\0' || name[n] == '.');
}

/**
 * verityfs_want_write() - get write access to the lower mount
 * @sb: the verityfs superblock
 *
 * The upper mount's write access was taken by the VFS; a read-only lower
 * mount must refuse changes made through verityfs too.
 *
 * Return: 0 or -EROFS.
 */
int verityfs_want_write(struct super_block *sb)
{
	return mnt_want_write(VERITYFS_SB(sb)->lower_path.mnt);
}

/**
 * verityfs_drop_write() - release verityfs_want_write()
 * @sb: the verityfs superblock
 */
void verityfs_drop_write(struct super_block *sb)
{
	mnt_drop_write(VERITYFS_SB(sb)->lower_path.mnt);
}

static bool lower_name_matches(struct dentry *lower, const struct qstr *name)
{
	bool same;

	spin_lock(&lower->d_lock);
	same = lower->d_name.len == name->len &&
	       !memcmp(lower->d_name.name, name->name, name->len);
	spin_unlock(&lower->d_lock);
	return same;
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
			      struct dentry *dentry, unsigned int flags)
{
	struct dentry *lower;
	struct inode *inode;

	if (flags & LOOKUP_RCU)
		return -ECHILD;
	if (!VERITYFS_E(dentry) || !VERITYFS_E(parent))
		return 0;
	lower = verityfs_lower_dentry(dentry);
	if (d_unhashed(lower) || lower->d_parent != verityfs_lower_dentry(parent) ||
	    !lower_name_matches(lower, name))
		return 0;
	inode = d_inode(dentry);
	if (!inode)
		return d_really_is_negative(lower);
	if (d_inode(lower) != verityfs_lower_inode(inode))
		return 0;
	verityfs_copy_attr(inode, d_inode(lower));
	return 1;
}

#ifdef HAVE_D_REVALIDATE_NAME
static int verityfs_d_revalidate(struct inode *dir, const struct qstr *name,
				 struct dentry *dentry, unsigned int flags)
{
	struct dentry *parent;
	int ret;

	if (flags & LOOKUP_RCU)
		return -ECHILD;
	parent = dget_parent(dentry);
	ret = check_lower_dentry(parent, name, dentry, flags);
	dput(parent);
	return ret;
}
#else
static int verityfs_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct dentry *parent;
	int ret;

	if (flags & LOOKUP_RCU)
		return -ECHILD;
	parent = dget_parent(dentry);
	ret = check_lower_dentry(parent, &dentry->d_name, dentry, flags);
	dput(parent);
	return ret;
}
#endif

static void verityfs_d_release(struct dentry *dentry)
{
	struct verityfs_dentry_info *e = VERITYFS_E(dentry);

	if (!e)
		return;
	path_put(&e->lower_path);
	kmem_cache_free(verityfs_dentry_cachep, e);
	dentry->d_fsdata = NULL;
}

const struct dentry_operations verityfs_dops = {
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
 */
void verityfs_dentry_cache_exit(void)
{
	kmem_cache_destroy(verityfs_dentry_cachep);
}
