// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: stacking helpers (credentials, attribute copy, reserved names).
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
