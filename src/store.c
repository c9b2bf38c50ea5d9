// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: where verity metadata lives on the lower filesystem (the layout
 * is described in include/verityfs/format.h).
 *
 * Every function here runs lower operations with the mounter's credentials.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xattr.h>

#include <verityfs/format.h>
#include "verityfs.h"
#include "hash.h"

#define OBJECT_NAME_LEN 16
static_assert(sizeof(((struct verityfs_store_ref *)0)->name) == OBJECT_NAME_LEN + 1);
/* Bytes of the largest object head: header, descriptor and signature. */
#define HEAD_MAX (sizeof(struct verityfs_object_header) + VERITYFS_CORE_MAX_DESC_SIZE)

static void object_name(u64 id, char name[OBJECT_NAME_LEN + 1])
{
	snprintf(name, OBJECT_NAME_LEN + 1, "%016llx", id);
}

/* The root of the lower filesystem, where its store is. */
static struct dentry *fs_root(struct super_block *sb)
{
	return VERITYFS_SB(sb)->lower_mnt->mnt_sb->s_root;
}

/**
 * verityfs_store_is_dir_name() - is this a hidden metadata directory?
 * @parent: the upper parent directory
 * @name: the name looked up or listed in it
 * @len: its length
 *
 * Hidden at the root of the mount: there is the store of the filesystem
 * when the mount shows the filesystem's root (the only place a mount can
 * show it), and there 0.1.0 kept its store. Deeper in the tree it is an
 * ordinary name.
 */
bool verityfs_store_is_dir_name(const struct dentry *parent, const char *name, unsigned int len)
{
	return IS_ROOT(parent) && len == sizeof(VERITYFS_STORE_NAME) - 1 &&
	       !memcmp(name, VERITYFS_STORE_NAME, len);
}

/**
 * verityfs_store_is_record_xattr() - is this one of verityfs's own xattr names?
 * @name: the full xattr name
 *
 * Return: true for "trusted.verityfs" and every "trusted.verityfs.*".
 */
bool verityfs_store_is_record_xattr(const char *name)
{
	size_t n = sizeof(VERITYFS_XATTR_NAME) - 1;

	return !strncmp(name, VERITYFS_XATTR_NAME, n) && (name[n] == '\0' || name[n] == '.');
}

/*
 * Only root (or the mounter) may own a store, and nobody else may reach
 * into it: whoever could write there could swap a file's tree and
 * signature.
 */
static int check_store_dir(struct super_block *sb, struct dentry *d, bool quiet)
{
	struct inode *inode = d_inode(d);
	kuid_t uid = inode->i_uid;

	if (!d_is_dir(d)) {
		if (!quiet)
			verityfs_sb_err(sb, "refusing the metadata store %s: not a directory",
					VERITYFS_STORE_NAME);
		return -ENOTDIR;
	}
	if ((!uid_eq(uid, GLOBAL_ROOT_UID) && !uid_eq(uid, VERITYFS_SB(sb)->creds->fsuid)) ||
	    (inode->i_mode & 0077)) {
		if (!quiet)
			verityfs_sb_err(sb, "refusing the metadata store %s: owner %u, mode %04o (root, 0700 wanted)",
					VERITYFS_STORE_NAME, from_kuid(&init_user_ns, uid),
					inode->i_mode & 07777);
		return -EPERM;
	}
	return 0;
}

/*
 * The store in directory @base: its dentry, or -ENOENT, or a refusal
 * (logged unless @quiet: a ".verityfs" below the root that is not a store
 * is an ordinary name).
 */
static struct dentry *lookup_store(struct super_block *sb, struct dentry *base, bool quiet)
{
	struct dentry *d;
	int err;

	d = verityfs_compat_lookup_unlocked(VERITYFS_STORE_NAME, sizeof(VERITYFS_STORE_NAME) - 1,
					    base);
	if (IS_ERR(d))
		return d;
	err = d_really_is_positive(d) ? check_store_dir(sb, d, quiet) : -ENOENT;
	if (err) {
		dput(d);
		return ERR_PTR(err);
	}
	return d;
}

/* The filesystem's store, made on first use (mode 0700, the mounter's) when @create. */
static struct dentry *store_dir(struct super_block *sb, bool create)
{
	struct dentry *root = fs_root(sb);
	const struct qstr qname = QSTR_INIT(VERITYFS_STORE_NAME, sizeof(VERITYFS_STORE_NAME) - 1);
	struct dentry *d, *c;

	d = lookup_store(sb, root, false);
	if (!create || PTR_ERR(d) != -ENOENT)
		return d;
	c = verityfs_compat_start_creating(root, &qname);
	if (!IS_ERR(c)) {
		c = verityfs_compat_vfs_mkdir(d_inode(root), c, 0700);
		if (!IS_ERR(c))
			verityfs_compat_end_creating(c);
	}
	/* Made now or by a concurrent enable (EEXIST): look it up again. */
	if (IS_ERR(c) && PTR_ERR(c) != -EEXIST)
		return c;
	return lookup_store(sb, root, false);
}

/* A positive object @name in store @dir, or -ENOENT. */
static struct dentry *lookup_object(struct dentry *dir, const char *name)
{
	struct dentry *d = verityfs_compat_lookup_unlocked(name, OBJECT_NAME_LEN, dir);

	if (!IS_ERR(d) && d_really_is_negative(d)) {
		dput(d);
		d = ERR_PTR(-ENOENT);
	}
	return d;
}

/*
 * Where the object @name of the file at @lower is: the filesystem's store,
 * or for a record of version 1 (@legacy) also the store of an ancestor
 * directory, where 0.1.0 kept it when that directory was mounted. Returns
 * the object with its store in *@dirp (both referenced), or ERR_PTR:
 * -ENOENT, or the filesystem store's refusal.
 */
static struct dentry *find_object(struct super_block *sb, struct dentry *lower,
				  const char *name, bool legacy, struct dentry **dirp)
{
	struct dentry *root = fs_root(sb);
	struct dentry *dir, *obj, *p, *next;

	dir = store_dir(sb, false);
	obj = IS_ERR(dir) ? dir : lookup_object(dir, name);
	if (!IS_ERR(obj)) {
		*dirp = dir;
		return obj;
	}
	if (!IS_ERR(dir))
		dput(dir);
	if (!legacy || (PTR_ERR(obj) != -ENOENT && PTR_ERR(obj) != -ENOTDIR))
		return obj;
	for (p = dget_parent(lower); p != root && !IS_ROOT(p); p = next) {
		dir = lookup_store(sb, p, true);
		obj = IS_ERR(dir) ? dir : lookup_object(dir, name);
		if (!IS_ERR(obj)) {
			dput(p);
			*dirp = dir;
			return obj;
		}
		if (!IS_ERR(dir))
			dput(dir);
		next = dget_parent(p);
		dput(p);
	}
	dput(p);
	return ERR_PTR(-ENOENT);
}

static struct file *open_lower(struct super_block *sb, struct dentry *dentry, int flags)
{
	struct path path = { .mnt = VERITYFS_SB(sb)->lower_mnt, .dentry = dentry };

	return dentry_open(&path, flags | O_LARGEFILE | O_NOATIME, current_cred());
}

/* Unlink object @name from store @dir; errors are logged: a leftover costs only space. */
static void remove_object(struct super_block *sb, struct dentry *dir, const char *name)
{
	struct dentry *d, *c;
	int err;

	d = verityfs_compat_lookup_unlocked(name, OBJECT_NAME_LEN, dir);
	err = PTR_ERR_OR_ZERO(d);
	if (!err) {
		c = verityfs_compat_start_removing(dir, d);
		err = PTR_ERR_OR_ZERO(c);
		if (!err) {
			err = d_really_is_positive(c) ?
				verityfs_compat_vfs_unlink(d_inode(dir), c) : 0;
			verityfs_compat_end_removing(c);
		}
		dput(d);
	}
	if (err)
		verityfs_sb_warn(sb, "could not remove verity object %s/%s: %pe",
				 VERITYFS_STORE_NAME, name, ERR_PTR(err));
}

/* Give object @obj an owner, a group or both, as @attr says. */
static int chown_dentry(struct dentry *obj, struct iattr *attr)
{
	int err;

	inode_lock(d_inode(obj));
	err = verityfs_compat_notify_change(obj, attr);
	inode_unlock(d_inode(obj));
	return err;
}

/* The same for object @name in store @dir. */
static int chown_object(struct dentry *dir, const char *name, struct iattr *attr)
{
	struct dentry *obj = lookup_object(dir, name);
	int err = PTR_ERR_OR_ZERO(obj);

	if (!err) {
		err = chown_dentry(obj, attr);
		dput(obj);
	}
	return err;
}

/* Give new object @obj (its store still locked) the group of @owner. */
static void fix_group(struct dentry *obj, const struct inode *owner)
{
	struct iattr ia = { .ia_valid = ATTR_GID, .ia_gid = owner->i_gid };

	chown_dentry(obj, &ia);
}

/* Give object @name in store @dir the owner and group of @owner. */
static int set_owner(struct dentry *dir, const char *name, const struct inode *owner)
{
	struct iattr ia = {
		.ia_valid = ATTR_UID | ATTR_GID,
		.ia_uid = owner->i_uid,
		.ia_gid = owner->i_gid,
	};

	return chown_object(dir, name, &ia);
}

/**
 * verityfs_store_create() - make a new, empty object for a file being enabled
 * @sb: the verityfs superblock
 * @owner: the lower inode of the file; the object gets its owner and group,
 *	so that the filesystem charges the tree to them (quota), as it does
 *	the tree of a native verity file
 * @id: out, the object's id
 *
 * The caller holds write access to the lower mount, and writes the object
 * with its own credentials: a caller without CAP_SYS_RESOURCE meets the
 * owner's quota.
 *
 * Return: the object opened for reading and writing, or ERR_PTR.
 */
struct file *verityfs_store_create(struct super_block *sb, struct inode *owner, u64 *id)
{
	char name[OBJECT_NAME_LEN + 1];
	struct qstr qname = QSTR_INIT(name, OBJECT_NAME_LEN);
	struct file *f = ERR_PTR(-EEXIST);
	const struct cred *cred, *old;
	struct dentry *dir, *c;
	bool orphan = false;
	int tries, err;

	/* The store is the mounter's, made with its credentials; the object the owner's. */
	old = verityfs_lower_override_mounter_creds(sb);
	dir = store_dir(sb, true);
	verityfs_lower_revert_creds(old);
	if (IS_ERR(dir))
		return ERR_CAST(dir);
	cred = verityfs_lower_owner_creds(sb, owner);
	if (!cred) {
		dput(dir);
		return ERR_PTR(-ENOMEM);
	}
	old = override_creds(cred);
	for (tries = 0; tries < 4 && PTR_ERR(f) == -EEXIST; tries++) {
		*id = get_random_u64();
		object_name(*id, name);
		c = verityfs_compat_start_creating(dir, &qname);
		err = PTR_ERR_OR_ZERO(c);
		if (err) {
			f = ERR_PTR(err);
			break;
		}
		err = d_really_is_positive(c) ? -EEXIST :
			verityfs_compat_vfs_create(d_inode(dir), c, S_IFREG | 0600);
		f = err ? ERR_PTR(err) : open_lower(sb, c, O_RDWR);
		/* A setgid store (made under a setgid root) gave it the store's group. */
		if (!IS_ERR(f) && !gid_eq(file_inode(f)->i_gid, owner->i_gid))
			fix_group(c, owner);
		orphan = !err && IS_ERR(f);
		verityfs_compat_end_creating(c);
	}
	/* Made but not opened (ENOMEM, ENFILE): the caller has nothing to remove. */
	if (orphan)
		remove_object(sb, dir, name);
	verityfs_lower_revert_creds(old);
	put_cred(cred);
	dput(dir);
	return f;
}

/**
 * verityfs_store_remove() - delete a new object (an enable rolled back)
 * @sb: the verityfs superblock
 * @id: the object's id
 */
void verityfs_store_remove(struct super_block *sb, u64 id)
{
	char name[OBJECT_NAME_LEN + 1];
	const struct cred *old;
	struct dentry *dir;

	object_name(id, name);
	old = verityfs_lower_override_mounter_creds(sb);
	dir = store_dir(sb, false);
	if (!IS_ERR(dir)) {
		remove_object(sb, dir, name);
		dput(dir);
	}
	verityfs_lower_revert_creds(old);
}

/**
 * verityfs_store_reopen() - the new object again, read-only, for its readers
 * @sb: the verityfs superblock
 * @obj: the object as verityfs_store_create() opened it
 *
 * A verity inode keeps its object open as long as it is cached: not for
 * writing, and not with the space a filesystem keeps past the end of a file
 * open for writing (xfs frees it at the last close of a written file).
 *
 * Return: the object opened for reading, or ERR_PTR.
 */
struct file *verityfs_store_reopen(struct super_block *sb, struct file *obj)
{
	const struct cred *old = verityfs_lower_override_mounter_creds(sb);
	struct file *f = open_lower(sb, obj->f_path.dentry, O_RDONLY);

	verityfs_lower_revert_creds(old);
	return f;
}

/* SHA-256 of an object's head, which the record names. */
static int head_digest(const void *head, size_t len, u8 out[VERITYFS_HEAD_DIGEST_SIZE])
{
	const struct verityfs_core_hash *h = verityfs_hash_get(VERITYFS_CORE_HASH_ALG_SHA256);

	return h ? verityfs_core_hash_buf(h, head, len, out) : -ENOPKG;
}

/**
 * verityfs_store_write_head() - write an object's header and descriptor, durably
 * @obj: the new object, open for writing (verityfs_store_create())
 * @id: its id
 * @desc: the descriptor (sig_size set) followed by the signature
 * @desc_size: bytes of @desc
 * @tree_offset: where the tree starts in @obj, VERITYFS_TREE_ALIGN aligned
 * @tree_size: bytes of tree, already written at @tree_offset
 * @digest: out, VERITYFS_HEAD_DIGEST_SIZE bytes: the head's digest for the
 *	record (verityfs_store_commit())
 *
 * The header, then the descriptor and signature, then fsync: the object is
 * complete and on disk before the record that commits it is set.
 *
 * Return: 0, or the lower filesystem's error (-EIO for a short write).
 */
int verityfs_store_write_head(struct file *obj, u64 id, const void *desc, u32 desc_size,
			      loff_t tree_offset, u64 tree_size, u8 *digest)
{
	struct verityfs_object_header *hdr;
	size_t len = sizeof(*hdr) + desc_size;
	loff_t pos = 0;
	ssize_t n;
	int err;

	hdr = kzalloc(len, GFP_KERNEL);
	if (!hdr)
		return -ENOMEM;
	memcpy(hdr->magic, VERITYFS_OBJECT_MAGIC, sizeof(hdr->magic));
	hdr->version = cpu_to_le32(VERITYFS_OBJECT_VERSION);
	hdr->desc_size = cpu_to_le32(desc_size);
	hdr->object_id = cpu_to_le64(id);
	hdr->tree_offset = cpu_to_le64(tree_offset);
	hdr->tree_size = cpu_to_le64(tree_size);
	memcpy(hdr + 1, desc, desc_size);
	err = head_digest(hdr, len, digest);
	if (!err) {
		n = kernel_write(obj, hdr, len, &pos);
		err = n == len ? 0 : (n < 0 ? n : -EIO);
	}
	kfree(hdr);
	return err ?: vfs_fsync(obj, 0);
}

static void encode_record(struct verityfs_record *rec, u64 id, u64 data_size,
			  const u8 digest[VERITYFS_HEAD_DIGEST_SIZE])
{
	memset(rec, 0, sizeof(*rec));
	memcpy(rec->magic, VERITYFS_RECORD_MAGIC, sizeof(rec->magic));
	rec->version = VERITYFS_RECORD_V2;
	rec->object_id = cpu_to_le64(id);
	rec->data_size = cpu_to_le64(data_size);
	memcpy(rec->head_digest, digest, VERITYFS_HEAD_DIGEST_SIZE);
}

/**
 * verityfs_store_commit() - make a file a verity file: write its record
 * @sb: the verityfs superblock
 * @lower: the lower dentry of the file
 * @data_size: bytes of data the metadata covers
 * @id: the object holding its metadata (written and synced already)
 * @digest: the digest of the object's head (verityfs_store_write_head())
 *
 * Return: 0, or the lower filesystem's error (-EEXIST if a record appeared
 * meanwhile, -EOPNOTSUPP without trusted xattrs, -ENOSPC ...).
 */
int verityfs_store_commit(struct super_block *sb, struct dentry *lower, u64 data_size, u64 id,
			  const u8 *digest)
{
	struct verityfs_record rec;
	const struct cred *old;
	int err;

	encode_record(&rec, id, data_size, digest);
	old = verityfs_lower_override_mounter_creds(sb);
	err = verityfs_compat_vfs_setxattr(lower, VERITYFS_XATTR_NAME, &rec, sizeof(rec),
					   XATTR_CREATE);
	verityfs_lower_revert_creds(old);
	return err;
}

/**
 * verityfs_store_is_verity() - does a lower file carry a verity record?
 * @sb: the verityfs superblock
 * @lower: the lower dentry
 *
 * Return: true if it has one (valid or not: opening it tells).
 */
bool verityfs_store_is_verity(struct super_block *sb, struct dentry *lower)
{
	const struct cred *old;
	ssize_t n;

	if (!d_is_reg(lower))
		return false;
	old = verityfs_lower_override_mounter_creds(sb);
	n = verityfs_compat_vfs_getxattr(lower, VERITYFS_XATTR_NAME, NULL, 0);
	verityfs_lower_revert_creds(old);
	return n != -ENODATA && n != -EOPNOTSUPP;
}

/* A record of either version, as read. */
union any_record {
	struct verityfs_record_start start;
	struct verityfs_record_v1 v1;
	struct verityfs_record v2;
};

/*
 * The record of a lower file: its version, or -ENODATA/-EOPNOTSUPP for a
 * plain file, -EINVAL for a damaged one. Every byte is checked: reserved
 * ones are zero, the length is the version's.
 */
static int read_record(struct dentry *lower, union any_record *rec)
{
	ssize_t n = verityfs_compat_vfs_getxattr(lower, VERITYFS_XATTR_NAME, rec, sizeof(*rec));

	if (n == -ERANGE)
		return -EINVAL;		/* longer than any record */
	if (n < 0)
		return n;
	if (n < sizeof(rec->start) ||
	    memcmp(rec->start.magic, VERITYFS_RECORD_MAGIC, sizeof(rec->start.magic)))
		return -EINVAL;
	switch (rec->start.version) {
	case VERITYFS_RECORD_V1:
		if (n != sizeof(rec->v1) || rec->v1.__reserved ||
		    rec->v1.digest_size > sizeof(rec->v1.file_digest) ||
		    memchr_inv(rec->v1.file_digest + rec->v1.digest_size, 0,
			       sizeof(rec->v1.file_digest) - rec->v1.digest_size))
			return -EINVAL;
		return VERITYFS_RECORD_V1;
	case VERITYFS_RECORD_V2:
		if (n != sizeof(rec->v2) ||
		    memchr_inv(rec->v2.__reserved, 0, sizeof(rec->v2.__reserved)))
			return -EINVAL;
		return VERITYFS_RECORD_V2;
	}
	return -EINVAL;
}

/* The fields both versions share sit at the same offsets. */
static u64 record_object_id(const union any_record *rec)
{
	return le64_to_cpu(rec->v2.object_id);
}

static u64 record_data_size(const union any_record *rec)
{
	return le64_to_cpu(rec->v2.data_size);
}

/**
 * verityfs_store_find() - where a lower file's object is, before an unlink
 * @sb: the verityfs superblock
 * @lower: the lower dentry of a verity file
 * @ref: out, the object's store and name for verityfs_store_put()
 *
 * Return: true when the file has a well-formed record and its object exists.
 */
bool verityfs_store_find(struct super_block *sb, struct dentry *lower,
			 struct verityfs_store_ref *ref)
{
	union any_record rec;
	const struct cred *old;
	struct dentry *obj = ERR_PTR(-ENOENT);
	int ver;

	old = verityfs_lower_override_mounter_creds(sb);
	ver = read_record(lower, &rec);
	if (ver > 0) {
		ref->id = record_object_id(&rec);
		object_name(ref->id, ref->name);
		obj = find_object(sb, lower, ref->name, ver == VERITYFS_RECORD_V1, &ref->dir);
	}
	verityfs_lower_revert_creds(old);
	if (IS_ERR(obj))
		return false;
	dput(obj);
	return true;
}

/**
 * verityfs_store_put() - after the unlink: remove the object or let it be
 * @sb: the verityfs superblock
 * @ref: what verityfs_store_find() found
 * @remove: the file lost its last name
 */
void verityfs_store_put(struct super_block *sb, struct verityfs_store_ref *ref, bool remove)
{
	const struct cred *old;

	if (remove) {
		old = verityfs_lower_override_mounter_creds(sb);
		remove_object(sb, ref->dir, ref->name);
		verityfs_lower_revert_creds(old);
	}
	dput(ref->dir);
}

/**
 * verityfs_store_chown() - give a verity file's object the file's new owner
 * @sb: the verityfs superblock
 * @lower: the lower dentry of the file
 * @attr: the owner change (ATTR_UID, ATTR_GID) about to be made to the file
 *
 * Called before the file's own change, with the same credentials, so that
 * the quota that refuses one refuses both.
 *
 * Return: 0, or the error of the change (-EDQUOT ...).
 */
int verityfs_store_chown(struct super_block *sb, struct dentry *lower, const struct iattr *attr)
{
	struct verityfs_store_ref ref;
	struct iattr ia = { .ia_valid = attr->ia_valid & (ATTR_UID | ATTR_GID) };
	int err;

	if (!ia.ia_valid || !verityfs_store_find(sb, lower, &ref))
		return 0;
	ia.ia_uid = attr->ia_uid;
	ia.ia_gid = attr->ia_gid;
	err = chown_object(ref.dir, ref.name, &ia);
	verityfs_store_put(sb, &ref, false);
	return err;
}

/**
 * verityfs_store_check_size() - is the lower data still the size it was enabled at?
 * @inode: the upper inode of a verity file
 * @data_size: the size its verity metadata covers
 *
 * The lower file can be truncated or extended behind the mount's back. Its
 * bytes are verified when read, but not its size: a file cut short or grown
 * would read as another length. Upstream refuses an open whose i_size is not
 * the descriptor's (EINVAL); this is the same check against the lower.
 *
 * Return: 0, or -EINVAL (logged).
 */
int verityfs_store_check_size(struct inode *inode, u64 data_size)
{
	loff_t size = i_size_read(verityfs_lower_inode(inode));

	if (size == data_size)
		return 0;
	verityfs_err(inode, "data resized behind verityfs: %lld bytes, verity covers %llu",
		     size, data_size);
	return -EINVAL;
}

static int read_exact(struct file *f, void *buf, size_t len, loff_t pos)
{
	ssize_t n = kernel_read(f, buf, len, &pos);

	return n == len ? 0 : (n < 0 ? n : -EINVAL);
}

/*
 * Where an object's tree may start: aligned, after the header and the
 * descriptor, and no later than after the largest descriptor, where
 * verityfs_store_write_head()'s callers put it. The bound also keeps
 * tree_offset + tree_size far from overflowing.
 */
static bool tree_offset_valid(u64 tree_offset, u32 desc_size)
{
	return !(tree_offset % VERITYFS_TREE_ALIGN) &&
	       tree_offset >= sizeof(struct verityfs_object_header) + desc_size &&
	       tree_offset <= round_up(sizeof(struct verityfs_object_header) +
				       VERITYFS_CORE_MAX_DESC_SIZE, VERITYFS_TREE_ALIGN);
}

/* One object being loaded. */
struct load_ctx {
	struct inode *inode;
	union any_record rec;
	int version;			/* of the record */
	char name[OBJECT_NAME_LEN + 1];
	struct dentry *dir;		/* the store holding the object */
	struct file *obj;
	struct verityfs_object_header *hdr;	/* the head: header, descriptor, signature */
	size_t head_len;
};

/*
 * The object a record names, opened for reading. A missing store or object
 * is damage (the record is the commit point, written after the object),
 * unless the file has lost its last name: its object went with it, and a
 * file reached without a name (an open that raced the unlink, an O_PATH
 * descriptor reopened) is gone, not damaged.
 */
static int open_object(struct load_ctx *lc, struct dentry *lower)
{
	struct inode *inode = lc->inode;
	struct dentry *d;

	d = find_object(inode->i_sb, lower, lc->name, lc->version == VERITYFS_RECORD_V1, &lc->dir);
	if (IS_ERR(d)) {
		if (!verityfs_lower_inode(inode)->i_nlink)
			return -ENOENT;
		if (PTR_ERR(d) == -ENOENT)
			verityfs_err(inode, "verity metadata %s/%s is missing", VERITYFS_STORE_NAME,
				     lc->name);
		else
			verityfs_err(inode, "verity metadata %s/%s unusable: %pe",
				     VERITYFS_STORE_NAME, lc->name, d);
		return -EINVAL;
	}
	lc->obj = open_lower(inode->i_sb, d, O_RDONLY);
	dput(d);
	if (IS_ERR(lc->obj)) {
		int err = PTR_ERR(lc->obj);

		lc->obj = NULL;
		return err;
	}
	return 0;
}

/* Read the object's head and check it against the record that names it. */
static int read_head(struct load_ctx *lc)
{
	struct verityfs_object_header hdr;
	u8 digest[VERITYFS_HEAD_DIGEST_SIZE];
	const char *what = "damaged verity metadata header in %s/%s";
	u32 desc_size;
	int err;

	err = read_exact(lc->obj, &hdr, sizeof(hdr), 0);
	desc_size = le32_to_cpu(hdr.desc_size);
	if (!err && (memcmp(hdr.magic, VERITYFS_OBJECT_MAGIC, sizeof(hdr.magic)) ||
		     le32_to_cpu(hdr.version) != VERITYFS_OBJECT_VERSION ||
		     le64_to_cpu(hdr.object_id) != record_object_id(&lc->rec) ||
		     memchr_inv(hdr.__reserved, 0, sizeof(hdr.__reserved)) ||
		     desc_size < VERITYFS_CORE_DESC_SIZE ||
		     desc_size > VERITYFS_CORE_MAX_DESC_SIZE ||
		     !tree_offset_valid(le64_to_cpu(hdr.tree_offset), desc_size)))
		err = -EINVAL;
	if (!err) {
		lc->head_len = sizeof(hdr) + desc_size;
		lc->hdr = kmalloc(lc->head_len, GFP_KERNEL);
		if (!lc->hdr)
			return -ENOMEM;
		memcpy(lc->hdr, &hdr, sizeof(hdr));
		what = "verity metadata %s/%s is truncated";
		err = read_exact(lc->obj, lc->hdr + 1, desc_size, sizeof(hdr));
	}
	if (!err && lc->version == VERITYFS_RECORD_V2) {
		what = "verity metadata %s/%s does not match its record";
		err = head_digest(lc->hdr, lc->head_len, digest);
		if (!err && memcmp(digest, lc->rec.v2.head_digest, sizeof(digest)))
			err = -EINVAL;
	}
	if (err == -EINVAL)
		verityfs_err(lc->inode, what, VERITYFS_STORE_NAME, lc->name);
	else if (err)
		verityfs_err(lc->inode, "cannot read verity metadata %s/%s (%pe)",
			     VERITYFS_STORE_NAME, lc->name, ERR_PTR(err));
	return err;
}

/*
 * Build the verity state from the object's descriptor and check that the
 * object belongs to the file whose record named it: the same size and tree
 * (and for a version 1 record, digest), and a tree that is all there.
 */
static struct verityfs_verity_info *load_object(struct load_ctx *lc)
{
	const struct verityfs_object_header *hdr = lc->hdr;
	const struct verityfs_record_v1 *v1 = &lc->rec.v1;
	struct inode *inode = lc->inode;
	struct verityfs_verity_info *vi;
	int err;

	vi = verityfs_open_create_info(inode, hdr + 1, le32_to_cpu(hdr->desc_size), lc->obj,
				       le64_to_cpu(hdr->tree_offset));
	if (IS_ERR(vi)) {
		err = PTR_ERR(vi);
		/* sig.c has logged its refusals with their reason. */
		if (err != -EPERM && err != -ENOKEY && err != -EKEYREJECTED && err != -EBADMSG)
			verityfs_err(inode, "invalid verity descriptor (%pe)", vi);
		return vi;
	}
	err = -EINVAL;
	if (record_data_size(&lc->rec) != vi->params.data_size ||
	    le64_to_cpu(hdr->tree_size) != vi->params.tree_size ||
	    (lc->version == VERITYFS_RECORD_V1 &&
	     (vi->params.hash_alg != v1->hash_alg || vi->params.digest_size != v1->digest_size ||
	      memcmp(vi->file_digest, v1->file_digest, v1->digest_size)))) {
		verityfs_err(inode, "verity metadata %s/%s does not belong to this file",
			     VERITYFS_STORE_NAME, lc->name);
		goto out_free;
	}
	/*
	 * A short tree would only fail later, block by block: refuse it now.
	 * A file of at most one block has no tree, and its object ends with
	 * the descriptor, before the tree offset.
	 */
	if (vi->params.tree_size &&
	    i_size_read(file_inode(lc->obj)) <
	    le64_to_cpu(hdr->tree_offset) + vi->params.tree_size) {
		verityfs_err(inode, "verity metadata %s/%s is truncated",
			     VERITYFS_STORE_NAME, lc->name);
		goto out_free;
	}
	return vi;

out_free:
	verityfs_open_free_info(vi);
	return ERR_PTR(err);
}

/*
 * A file enabled by 0.1.0, loaded: move its object into the filesystem's
 * store (if it is elsewhere) and then rewrite its record as version 2. A
 * crash between the two leaves a version 1 record whose object is in the
 * store, where find_object() looks first. A read-only mount reads the file
 * where it is; a failure only costs the upgrade (logged).
 */
static void upgrade_v1(struct load_ctx *lc, struct dentry *lower)
{
	struct super_block *sb = lc->inode->i_sb;
	struct dentry *dir = NULL, *obj, *target;
	u8 digest[VERITYFS_HEAD_DIGEST_SIZE];
	struct verityfs_record rec;
	int err;

	if (sb_rdonly(sb) || verityfs_lower_want_write(sb))
		return;
	dir = store_dir(sb, true);
	err = PTR_ERR_OR_ZERO(dir);
	if (err) {
		dir = NULL;
		goto out;
	}
	if (dir != lc->dir) {
		obj = lookup_object(lc->dir, lc->name);
		target = verityfs_compat_lookup_unlocked(lc->name, OBJECT_NAME_LEN, dir);
		err = IS_ERR(obj) ? PTR_ERR(obj) : PTR_ERR_OR_ZERO(target);
		if (!err)
			err = verityfs_compat_rename(lc->dir, obj, dir, target, RENAME_NOREPLACE);
		if (!IS_ERR(target))
			dput(target);
		if (!IS_ERR(obj))
			dput(obj);
		if (err)
			goto out;
	}
	/* 0.1.0's objects were the mounter's: the owner's now (quota). */
	err = set_owner(dir, lc->name, d_inode(lower));
	if (!err)
		err = head_digest(lc->hdr, lc->head_len, digest);
	if (!err) {
		encode_record(&rec, record_object_id(&lc->rec), record_data_size(&lc->rec), digest);
		err = verityfs_compat_vfs_setxattr(lower, VERITYFS_XATTR_NAME, &rec, sizeof(rec),
						   XATTR_REPLACE);
	}
out:
	if (err)
		verityfs_warn(lc->inode, "verity metadata %s/%s of 0.1.0 not upgraded (%pe)",
			      VERITYFS_STORE_NAME, lc->name, ERR_PTR(err));
	dput(dir);
	verityfs_lower_drop_write(sb);
}

/**
 * verityfs_store_load() - read and check a verity file's metadata
 * @inode: the upper inode
 * @lower: its lower dentry
 *
 * Reads the record, opens the object it names, checks the object's head
 * against the record and builds the state from its descriptor. A record of
 * 0.1.0 is upgraded on a writable mount.
 *
 * Return: the verity state; NULL when the file is not a verity file; or
 * ERR_PTR: -EINVAL for a damaged or missing record, object or descriptor,
 * an unusable store, a truncated object or resized data (logged), the
 * descriptor checks of verityfs_open_create_info(), -ENOMEM, -EIO.
 */
struct verityfs_verity_info *verityfs_store_load(struct inode *inode, struct dentry *lower)
{
	struct load_ctx lc = { .inode = inode };
	struct verityfs_verity_info *vi;
	const struct cred *old;
	int err;

	old = verityfs_lower_override_mounter_creds(inode->i_sb);
	lc.version = read_record(lower, &lc.rec);
	if (lc.version == -ENODATA || lc.version == -EOPNOTSUPP) {
		vi = NULL;		/* a plain file */
		goto out;
	}
	if (lc.version < 0) {
		/* An I/O error is not damage: the reader sees EIO, the log says so. */
		if (lc.version == -EINVAL)
			verityfs_err(inode, "damaged verity record");
		else
			verityfs_err(inode, "cannot read verity record (%pe)",
				     ERR_PTR(lc.version));
		vi = ERR_PTR(lc.version);
		goto out;
	}
	err = verityfs_store_check_size(inode, record_data_size(&lc.rec));
	if (err) {
		vi = ERR_PTR(err);
		goto out;
	}
	object_name(record_object_id(&lc.rec), lc.name);
	err = open_object(&lc, lower);
	if (!err)
		err = read_head(&lc);
	vi = err ? ERR_PTR(err) : load_object(&lc);
	if (!IS_ERR(vi) && lc.version == VERITYFS_RECORD_V1)
		upgrade_v1(&lc, lower);
	if (lc.obj)
		fput(lc.obj);
	dput(lc.dir);
	kfree(lc.hdr);
out:
	verityfs_lower_revert_creds(old);
	return vi;
}
