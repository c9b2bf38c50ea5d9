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

#define OBJECT_NAME_LEN 16

static void object_name(u64 id, char name[OBJECT_NAME_LEN + 1])
{
	snprintf(name, OBJECT_NAME_LEN + 1, "%016llx", id);
}

/**
 * verityfs_store_is_dir_name() - is this the hidden metadata directory?
 * @parent: the upper parent directory
 * @name: the name looked up or listed in it
 * @len: its length
 *
 * Only the store at the root of the mount is hidden; a ".verityfs" deeper in
 * the tree is an ordinary name.
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

/* The store directory at the lower root, made on first use when @create. */
static struct dentry *store_dir(struct super_block *sb, bool create)
{
	struct dentry *root = VERITYFS_SB(sb)->lower_path.dentry;
	const int len = sizeof(VERITYFS_STORE_NAME) - 1;
	const struct qstr qname = QSTR_INIT(VERITYFS_STORE_NAME, len);
	struct dentry *d, *c;

	d = verityfs_compat_lookup_unlocked(VERITYFS_STORE_NAME, len, root);
	if (IS_ERR(d) || d_is_dir(d))
		return d;
	if (d_really_is_positive(d) || !create) {
		int err = d_really_is_positive(d) ? -ENOTDIR : -ENOENT;

		dput(d);
		return ERR_PTR(err);
	}
	dput(d);
	c = verityfs_compat_start_creating(root, &qname);
	if (!IS_ERR(c)) {
		c = verityfs_compat_vfs_mkdir(d_inode(root), c, 0700);
		if (!IS_ERR(c))
			verityfs_compat_end_creating(c);
	}
	/* Made now or by a concurrent enable (EEXIST): look it up again. */
	if (IS_ERR(c) && PTR_ERR(c) != -EEXIST)
		return c;
	d = verityfs_compat_lookup_unlocked(VERITYFS_STORE_NAME, len, root);
	if (!IS_ERR(d) && !d_is_dir(d)) {
		dput(d);
		d = ERR_PTR(-ENOTDIR);
	}
	return d;
}

static struct file *open_lower(struct super_block *sb, struct dentry *dentry, int flags)
{
	struct path path = { .mnt = VERITYFS_SB(sb)->lower_mnt, .dentry = dentry };

	return dentry_open(&path, flags | O_LARGEFILE | O_NOATIME, current_cred());
}

/**
 * verityfs_store_create() - make a new, empty object for a file being enabled
 * @sb: the verityfs superblock
 * @id: out, the object's id
 *
 * The caller holds write access to the lower mount.
 *
 * Return: the object opened for reading and writing, or ERR_PTR.
 */
struct file *verityfs_store_create(struct super_block *sb, u64 *id)
{
	char name[OBJECT_NAME_LEN + 1];
	struct qstr qname = QSTR_INIT(name, OBJECT_NAME_LEN);
	struct file *f = ERR_PTR(-EEXIST);
	struct dentry *dir, *c;
	const struct cred *old;
	bool orphan = false;
	int tries, err;

	old = verityfs_lower_override_mounter_creds(sb);
	dir = store_dir(sb, true);
	if (IS_ERR(dir)) {
		f = ERR_CAST(dir);
		goto out;
	}
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
		orphan = !err && IS_ERR(f);
		verityfs_compat_end_creating(c);
	}
	dput(dir);
out:
	verityfs_lower_revert_creds(old);
	/* Made but not opened (ENOMEM, ENFILE): the caller has nothing to remove. */
	if (orphan)
		verityfs_store_remove(sb, *id);
	return f;
}

/**
 * verityfs_store_remove() - delete an object (enable rolled back, file gone)
 * @sb: the verityfs superblock
 * @id: the object's id
 *
 * Errors are logged, not returned: an object left behind costs only space.
 */
void verityfs_store_remove(struct super_block *sb, u64 id)
{
	char name[OBJECT_NAME_LEN + 1];
	struct dentry *dir, *d, *c;
	const struct cred *old;
	int err;

	object_name(id, name);
	old = verityfs_lower_override_mounter_creds(sb);
	dir = store_dir(sb, false);
	err = PTR_ERR_OR_ZERO(dir);
	if (err)
		goto out;
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
	dput(dir);
out:
	verityfs_lower_revert_creds(old);
	if (err)
		verityfs_sb_warn(sb, "could not remove verity object %s/%s: %pe",
				 VERITYFS_STORE_NAME, name, ERR_PTR(err));
}

/**
 * verityfs_store_write_head() - write an object's header and descriptor, durably
 * @obj: the new object, open for writing (verityfs_store_create())
 * @id: its id
 * @desc: the descriptor (sig_size set) followed by the signature
 * @desc_size: bytes of @desc
 * @tree_offset: where the tree starts in @obj, VERITYFS_TREE_ALIGN aligned
 * @tree_size: bytes of tree, already written at @tree_offset
 *
 * The header, then the descriptor and signature, then fsync: the object is
 * complete and on disk before the record that commits it is set.
 *
 * Return: 0, or the lower filesystem's error (-EIO for a short write).
 */
int verityfs_store_write_head(struct file *obj, u64 id, const void *desc, u32 desc_size,
			      loff_t tree_offset, u64 tree_size)
{
	struct verityfs_object_header hdr;
	loff_t pos = 0;
	ssize_t n;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(hdr.magic, VERITYFS_OBJECT_MAGIC, sizeof(hdr.magic));
	hdr.version = cpu_to_le32(VERITYFS_FORMAT_VERSION);
	hdr.desc_size = cpu_to_le32(desc_size);
	hdr.object_id = cpu_to_le64(id);
	hdr.tree_offset = cpu_to_le64(tree_offset);
	hdr.tree_size = cpu_to_le64(tree_size);
	n = kernel_write(obj, &hdr, sizeof(hdr), &pos);
	if (n == sizeof(hdr))
		n = kernel_write(obj, desc, desc_size, &pos);
	if (n != desc_size)
		return n < 0 ? n : -EIO;
	return vfs_fsync(obj, 0);
}

/**
 * verityfs_store_commit() - make a file a verity file: write its record
 * @sb: the verityfs superblock
 * @lower: the lower dentry of the file
 * @vi: the new verity state
 * @id: the object holding its metadata (written and synced already)
 *
 * Return: 0, or the lower filesystem's error (-EEXIST if a record appeared
 * meanwhile, -EOPNOTSUPP without trusted xattrs, -ENOSPC ...).
 */
int verityfs_store_commit(struct super_block *sb, struct dentry *lower,
			  const struct verityfs_verity_info *vi, u64 id)
{
	struct verityfs_record rec;
	const struct cred *old;
	int err;

	memset(&rec, 0, sizeof(rec));
	memcpy(rec.magic, VERITYFS_RECORD_MAGIC, sizeof(rec.magic));
	rec.version = VERITYFS_FORMAT_VERSION;
	rec.hash_alg = vi->params.hash_alg;
	rec.digest_size = vi->params.digest_size;
	rec.object_id = cpu_to_le64(id);
	rec.data_size = cpu_to_le64(vi->params.data_size);
	memcpy(rec.file_digest, vi->file_digest, vi->params.digest_size);

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

/* The record of a lower file: its size, or -ENODATA/-EOPNOTSUPP for a plain file. */
static ssize_t read_record(struct dentry *lower, struct verityfs_record *rec)
{
	ssize_t n = verityfs_compat_vfs_getxattr(lower, VERITYFS_XATTR_NAME, rec, sizeof(*rec));

	if (n == sizeof(*rec) &&
	    (memcmp(rec->magic, VERITYFS_RECORD_MAGIC, sizeof(rec->magic)) ||
	     rec->version != VERITYFS_FORMAT_VERSION ||
	     rec->digest_size > sizeof(rec->file_digest) || rec->__reserved ||
	     memchr_inv(rec->file_digest + rec->digest_size, 0,
			sizeof(rec->file_digest) - rec->digest_size)))
		n = -EINVAL;	/* every byte is checked: reserved ones are zero */
	else if ((n >= 0 && n != sizeof(*rec)) || n == -ERANGE)
		n = -EINVAL;	/* shorter or longer than a record */
	return n;
}

/**
 * verityfs_store_object_of() - the object id a lower file's record names
 * @sb: the verityfs superblock
 * @lower: the lower dentry
 * @id: out, the id
 *
 * Return: true when the file has a well-formed record.
 */
bool verityfs_store_object_of(struct super_block *sb, struct dentry *lower, u64 *id)
{
	struct verityfs_record rec;
	const struct cred *old;
	ssize_t n;

	old = verityfs_lower_override_mounter_creds(sb);
	n = read_record(lower, &rec);
	verityfs_lower_revert_creds(old);
	if (n < 0)
		return false;
	*id = le64_to_cpu(rec.object_id);
	return true;
}

static int read_exact(struct file *f, void *buf, size_t len, loff_t pos)
{
	ssize_t n = kernel_read(f, buf, len, &pos);

	return n == len ? 0 : (n < 0 ? n : -EINVAL);
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

/*
 * The object a record names, opened for reading. A missing store or object
 * is damage (the record is the commit point, written after the object),
 * unless the file has lost its last name: its object went with it, and a
 * file reached without a name (an open that raced the unlink, an O_PATH
 * descriptor reopened) is gone, not damaged.
 */
static struct file *open_object(struct inode *inode, const char *name)
{
	struct dentry *dir, *d;
	struct file *obj;

	dir = store_dir(inode->i_sb, false);
	d = IS_ERR(dir) ? dir : verityfs_compat_lookup_unlocked(name, OBJECT_NAME_LEN, dir);
	if (!IS_ERR(dir))
		dput(dir);
	if (IS_ERR(d) || d_really_is_negative(d)) {
		if (!IS_ERR(d))
			dput(d);
		if (!verityfs_lower_inode(inode)->i_nlink)
			return ERR_PTR(-ENOENT);
		verityfs_err(inode, "verity metadata %s/%s is missing", VERITYFS_STORE_NAME, name);
		return ERR_PTR(-EINVAL);
	}
	obj = open_lower(inode->i_sb, d, O_RDONLY);
	dput(d);
	return obj;
}

/*
 * Where an object's tree may start: aligned, after the header and the
 * descriptor, and no later than after the largest descriptor, where
 * verityfs_store_write_head()'s caller puts it. The bound also keeps
 * tree_offset + tree_size far from overflowing.
 */
static bool tree_offset_valid(u64 tree_offset, u32 desc_size)
{
	return !(tree_offset % VERITYFS_TREE_ALIGN) &&
	       tree_offset >= sizeof(struct verityfs_object_header) + desc_size &&
	       tree_offset <= round_up(sizeof(struct verityfs_object_header) +
				       VERITYFS_CORE_MAX_DESC_SIZE, VERITYFS_TREE_ALIGN);
}

/* Read the object's header and check it against the record that names it. */
static int read_object_header(struct inode *inode, struct file *obj, const char *name,
			      const struct verityfs_record *rec,
			      struct verityfs_object_header *hdr)
{
	int err = read_exact(obj, hdr, sizeof(*hdr), 0);
	u32 desc_size = le32_to_cpu(hdr->desc_size);

	if (!err && (memcmp(hdr->magic, VERITYFS_OBJECT_MAGIC, sizeof(hdr->magic)) ||
		     le32_to_cpu(hdr->version) != VERITYFS_FORMAT_VERSION ||
		     hdr->object_id != rec->object_id ||
		     memchr_inv(hdr->__reserved, 0, sizeof(hdr->__reserved)) ||
		     desc_size < VERITYFS_CORE_DESC_SIZE ||
		     desc_size > VERITYFS_CORE_MAX_DESC_SIZE ||
		     !tree_offset_valid(le64_to_cpu(hdr->tree_offset), desc_size)))
		err = -EINVAL;
	if (err == -EINVAL)
		verityfs_err(inode, "damaged verity metadata header in %s/%s", VERITYFS_STORE_NAME,
			     name);
	else if (err)
		verityfs_err(inode, "cannot read verity metadata %s/%s (%pe)", VERITYFS_STORE_NAME,
			     name, ERR_PTR(err));
	return err;
}

/*
 * Build the verity state from the object's descriptor and check that the
 * object belongs to the file whose record named it: the same digest, size
 * and tree, and a tree that is all there.
 */
static struct verityfs_verity_info *load_object(struct inode *inode, struct file *obj,
						const char *name, const struct verityfs_record *rec,
						const struct verityfs_object_header *hdr)
{
	u32 desc_size = le32_to_cpu(hdr->desc_size);
	struct verityfs_verity_info *vi;
	void *desc;
	int err;

	desc = kmalloc(desc_size, GFP_KERNEL);
	if (!desc)
		return ERR_PTR(-ENOMEM);
	err = read_exact(obj, desc, desc_size, sizeof(*hdr));
	if (err == -EINVAL)
		verityfs_err(inode, "verity metadata %s/%s is truncated",
			     VERITYFS_STORE_NAME, name);
	else if (err)
		verityfs_err(inode, "cannot read verity metadata %s/%s (%pe)",
			     VERITYFS_STORE_NAME, name, ERR_PTR(err));
	if (err)
		goto out;
	vi = verityfs_open_create_info(inode, desc, desc_size, obj, le64_to_cpu(hdr->tree_offset));
	if (IS_ERR(vi)) {
		err = PTR_ERR(vi);
		/* sig.c has logged its refusals with their reason. */
		if (err != -EPERM && err != -ENOKEY && err != -EKEYREJECTED && err != -EBADMSG)
			verityfs_err(inode, "invalid verity descriptor (%pe)", ERR_PTR(err));
		goto out;
	}
	err = -EINVAL;
	if (vi->params.hash_alg != rec->hash_alg || vi->params.digest_size != rec->digest_size ||
	    memcmp(vi->file_digest, rec->file_digest, rec->digest_size) ||
	    le64_to_cpu(rec->data_size) != vi->params.data_size ||
	    le64_to_cpu(hdr->tree_size) != vi->params.tree_size) {
		verityfs_err(inode, "verity metadata %s/%s does not belong to this file",
			     VERITYFS_STORE_NAME, name);
		goto out_free;
	}
	/*
	 * A short tree would only fail later, block by block: refuse it now.
	 * A file of at most one block has no tree, and its object ends with
	 * the descriptor, before the tree offset.
	 */
	if (vi->params.tree_size &&
	    i_size_read(file_inode(obj)) < le64_to_cpu(hdr->tree_offset) + vi->params.tree_size) {
		verityfs_err(inode, "verity metadata %s/%s is truncated",
			     VERITYFS_STORE_NAME, name);
		goto out_free;
	}
	kfree(desc);
	return vi;

out_free:
	verityfs_open_free_info(vi);
out:
	kfree(desc);
	return ERR_PTR(err);
}

/**
 * verityfs_store_load() - read and check a verity file's metadata
 * @inode: the upper inode
 * @lower: its lower dentry
 *
 * Reads the record, opens the object it names, validates the object's
 * header and builds the state from its descriptor.
 *
 * Return: the verity state; NULL when the file is not a verity file; or
 * ERR_PTR: -EINVAL for a damaged or missing record, object or descriptor,
 * a truncated object or resized data (logged), the descriptor checks of
 * verityfs_open_create_info(), -ENOMEM, -EIO.
 */
struct verityfs_verity_info *verityfs_store_load(struct inode *inode, struct dentry *lower)
{
	struct verityfs_object_header hdr;
	char name[OBJECT_NAME_LEN + 1];
	struct verityfs_record rec;
	struct verityfs_verity_info *vi;
	const struct cred *old;
	struct file *obj;
	ssize_t n;
	int err;

	old = verityfs_lower_override_mounter_creds(inode->i_sb);
	n = read_record(lower, &rec);
	if (n == -ENODATA || n == -EOPNOTSUPP) {
		vi = NULL;		/* a plain file */
		goto out;
	}
	if (n < 0) {
		/* An I/O error is not damage: the reader sees EIO, the log says so. */
		if (n == -EINVAL)
			verityfs_err(inode, "damaged verity record (%pe)", ERR_PTR(n));
		else
			verityfs_err(inode, "cannot read verity record (%pe)", ERR_PTR(n));
		vi = ERR_PTR(n);
		goto out;
	}
	err = verityfs_store_check_size(inode, le64_to_cpu(rec.data_size));
	if (err) {
		vi = ERR_PTR(err);
		goto out;
	}
	object_name(le64_to_cpu(rec.object_id), name);
	obj = open_object(inode, name);
	if (IS_ERR(obj)) {
		vi = ERR_CAST(obj);
		goto out;
	}
	err = read_object_header(inode, obj, name, &rec, &hdr);
	vi = err ? ERR_PTR(err) : load_object(inode, obj, name, &rec, &hdr);
	fput(obj);
out:
	verityfs_lower_revert_creds(old);
	return vi;
}
