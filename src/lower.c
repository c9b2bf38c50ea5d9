// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: acting on the lower filesystem: the mounter's credentials, the
 * caller's ownership of what it creates, and write access to the lower mount.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/highuid.h>
#include <linux/mount.h>

#include "verityfs.h"

/**
 * verityfs_lower_prepare_limited_creds() - the mounter's, for callers without CAP_SYS_RESOURCE
 *
 * The lower lets CAP_SYS_RESOURCE past quota hard limits and into the
 * blocks ext4 keeps for root, and lets into those blocks the owner and
 * group they are kept for (resuid, resgid: root by default) as well. These
 * credentials are the current ones (the mounter's, at mount time) with
 * neither: without the capability, with the overflow ids as fsuid and
 * fsgid and no supplementary groups. What verityfs creates with them gets
 * the caller's ids (verityfs_lower_creator_creds()); its own metadata is
 * written with the mounter's (verityfs_lower_override_mounter_creds()).
 *
 * Return: new credentials, or NULL when out of memory.
 */
struct cred *verityfs_lower_prepare_limited_creds(void)
{
	struct group_info *none = groups_alloc(0);
	struct cred *cred;

	if (!none)
		return NULL;
	cred = prepare_creds();
	if (cred) {
		cap_lower(cred->cap_effective, CAP_SYS_RESOURCE);
		cred->fsuid = make_kuid(&init_user_ns, overflowuid);
		cred->fsgid = make_kgid(&init_user_ns, overflowgid);
		set_groups(cred, none);
	}
	put_group_info(none);
	return cred;
}

/**
 * verityfs_lower_override_creds() - run the following lower operations as the mounter
 * @sb: the verityfs superblock
 *
 * The superblock holds its own references to the credentials for the
 * mount's lifetime, which makes this correct both before 6.14
 * (override_creds takes a reference) and after (it takes none).
 *
 * A caller without CAP_SYS_RESOURCE gets them without it and without
 * root's identity (verityfs_lower_prepare_limited_creds()): resource
 * limits are checks no caller check can make beforehand.
 *
 * Return: the credentials to hand back to verityfs_lower_revert_creds().
 */
const struct cred *verityfs_lower_override_creds(struct super_block *sb)
{
	struct verityfs_sb_info *sbi = VERITYFS_SB(sb);

	if (ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE))
		return override_creds(sbi->creds);
	return override_creds(sbi->limited_creds);
}

/**
 * verityfs_lower_override_mounter_creds() - the mounter's credentials as they are
 * @sb: the verityfs superblock
 *
 * For verityfs's own metadata on the lower (store.c), which belongs to the
 * mounter whoever enables a file.
 *
 * Return: the credentials to hand back to verityfs_lower_revert_creds().
 */
const struct cred *verityfs_lower_override_mounter_creds(struct super_block *sb)
{
	return override_creds(VERITYFS_SB(sb)->creds);
}

/**
 * verityfs_lower_revert_creds() - end a verityfs_lower_override_creds() section
 * @old: what verityfs_lower_override_creds() returned
 */
void verityfs_lower_revert_creds(const struct cred *old)
{
	revert_creds(old);
}

/**
 * verityfs_lower_creator_creds() - the mounter's credentials, owning like the caller
 * @sb: the verityfs superblock
 *
 * New lower objects must belong to the caller, not to the mounter: this is a
 * copy of the credentials verityfs_lower_override_creds() would use, with
 * the caller's fsuid and fsgid. When the caller may use the mounter's own
 * (it has CAP_SYS_RESOURCE) and has the mounter's fsuid and fsgid (the
 * mounter creating, as for a system mount), those are that copy already and
 * are used as they are: no allocation per create. The caller overrides with
 * them, reverts, then drops them with put_cred().
 *
 * Return: referenced credentials, or NULL when out of memory.
 */
const struct cred *verityfs_lower_creator_creds(struct super_block *sb)
{
	const struct cred *mounter = VERITYFS_SB(sb)->creds;
	kuid_t fsuid = current_fsuid();
	kgid_t fsgid = current_fsgid();
	const struct cred *old;
	struct cred *cred;

	if (uid_eq(fsuid, mounter->fsuid) && gid_eq(fsgid, mounter->fsgid) &&
	    ns_capable_noaudit(&init_user_ns, CAP_SYS_RESOURCE))
		return get_cred(mounter);

	old = verityfs_lower_override_creds(sb);
	cred = prepare_creds();
	verityfs_lower_revert_creds(old);
	if (!cred)
		return NULL;
	cred->fsuid = fsuid;
	cred->fsgid = fsgid;
	return cred;
}

/**
 * verityfs_lower_owner_creds() - the mounter's credentials, creating for a file's owner
 * @sb: the verityfs superblock
 * @owner: the lower inode whose owner and group new objects get
 *
 * For a verity file's object in the store (store.c): the mounter's
 * credentials, which may create in the root-only store, with @owner's
 * fsuid and fsgid, so that the object and the quota it uses are the
 * file's owner's. The caller overrides with them, reverts, then drops them
 * with put_cred().
 *
 * Return: referenced credentials, or NULL when out of memory.
 */
const struct cred *verityfs_lower_owner_creds(struct super_block *sb, const struct inode *owner)
{
	const struct cred *old = override_creds(VERITYFS_SB(sb)->creds);
	struct cred *cred = prepare_creds();

	revert_creds(old);
	if (!cred)
		return NULL;
	cred->fsuid = owner->i_uid;
	cred->fsgid = owner->i_gid;
	return cred;
}

/**
 * verityfs_lower_want_write() - get write access to the lower mount
 * @sb: the verityfs superblock
 *
 * The upper mount's write access was taken by the VFS; a read-only lower
 * mount must refuse changes made through verityfs too.
 *
 * Return: 0 or -EROFS.
 */
int verityfs_lower_want_write(struct super_block *sb)
{
	return mnt_want_write(VERITYFS_SB(sb)->lower_mnt);
}

/**
 * verityfs_lower_drop_write() - release verityfs_lower_want_write()
 * @sb: the verityfs superblock
 */
void verityfs_lower_drop_write(struct super_block *sb)
{
	mnt_drop_write(VERITYFS_SB(sb)->lower_mnt);
}
