// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: file operations of regular files, plain and verity alike.
 *
 * An open upper file holds an open lower file (file->private_data). Whether
 * a call is served by the lower file or by verityfs's verified page cache
 * is decided at each call by the inode's state, not when the file was
 * opened: a file opened before an enable, or through another mount of the
 * same lower, reads verified data from its next call on (open.c).
 *
 * Plain files forward every call to the lower file, overlayfs style, in the
 * same steps: get the lower file, make the checks the VFS and the lower
 * would make for the caller (file_remove_privs() above all, which the lower
 * would skip for a mounter holding CAP_FSETID), switch to the mounter's
 * credentials, call the lower, switch back, copy the attributes up. Their
 * mappings are handed over to the lower file, so the upper inode's own page
 * cache stays empty for plain files. Lower files are opened O_NOATIME: the
 * verityfs mount's own atime rules apply (file_accessed() on the upper file,
 * then ->update_time in inode.c).
 *
 * Verity files are read through the upper page cache (read.c), and every
 * call that would change them fails with EPERM.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/fadvise.h>
#include <linux/fs.h>
#include <linux/fsnotify.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/splice.h>
#include <linux/uio.h>
#include <linux/xattr.h>

#include "verityfs.h"

/**
 * verityfs_file_lower() - the lower file behind an open verityfs file
 * @file: an open verityfs regular file or directory
 *
 * Return: the lower file; it lives as long as @file.
 */
struct file *verityfs_file_lower(const struct file *file)
{
	return file->private_data;
}

/*
 * fcntl(F_SETFL) changes the upper file's O_APPEND, O_DIRECT and O_NONBLOCK;
 * the lower file follows before each call (O_DIRECT only where the lower
 * supports it). O_NOATIME stays set on the lower file, whatever the upper's.
 */
#define VERITYFS_SYNCED_FLAGS	(O_APPEND | O_DIRECT | O_NONBLOCK)

static void sync_lower_flags(struct file *file, struct file *lower)
{
	unsigned int want = file->f_flags & VERITYFS_SYNCED_FLAGS;

	if (!((lower->f_flags ^ want) & VERITYFS_SYNCED_FLAGS))
		return;
	if ((want & O_DIRECT) && !verityfs_compat_can_odirect(lower))
		want &= ~O_DIRECT;
	spin_lock(&lower->f_lock);
	lower->f_flags = (lower->f_flags & ~VERITYFS_SYNCED_FLAGS) | want;
	spin_unlock(&lower->f_lock);
}

/**
 * verityfs_file_open_lower() - open the lower file or directory of an upper file
 * @file: the upper file being opened
 *
 * Return: 0, or the lower's error (e.g. -EINVAL for O_DIRECT on a lower
 * without direct I/O, -EROFS for writing to a read-only lower mount).
 */
int verityfs_file_open_lower(struct file *file)
{
	struct path *lower_path = &VERITYFS_E(file->f_path.dentry)->lower_path;
	/* The VFS created and truncated through us already. */
	int flags = file->f_flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	const struct cred *old;
	struct file *lower;

	old = verityfs_lower_override_creds(file->f_path.dentry->d_sb);
	lower = dentry_open(lower_path, flags | O_NOATIME, current_cred());
	verityfs_lower_revert_creds(old);
	if (IS_ERR(lower))
		return PTR_ERR(lower);
	file->private_data = lower;
	verityfs_compat_match_odirect(file, lower);
	return 0;
}

/**
 * verityfs_file_release() - close the lower file of an upper file
 * @inode: the upper inode
 * @file: the upper file
 *
 * Return: 0.
 */
int verityfs_file_release(struct inode *inode, struct file *file)
{
	if (S_ISREG(inode->i_mode) && verityfs_inode_is_verity(inode))
		verityfs_open_release(inode);
	if (file->private_data)
		fput(file->private_data);
	return 0;
}

/* Is the file's inode a verity inode now? See verityfs_open_refresh(). */
static bool file_is_verity(struct file *file)
{
	struct inode *inode = file_inode(file);

	verityfs_open_refresh(inode, file->f_path.dentry, false);
	return verityfs_inode_is_verity(inode);
}

/*
 * A verity inode's state, loaded if this is its first use; a file opened
 * before the inode became a verity inode may be the first to need it.
 */
static int verity_ready(struct file *file)
{
	return PTR_ERR_OR_ZERO(verityfs_open_get_info(file_inode(file), file->f_path.dentry));
}

/*
 * A set-id or file-capability program on a lower mounted nosuid runs
 * without its privileges there; the VFS checks only the verityfs mount's
 * nosuid and would grant them through verityfs, which cannot make it
 * ignore them. Such an exec is refused instead, unless the verityfs mount
 * is nosuid itself.
 */
static int check_lower_nosuid(struct inode *inode, struct file *file)
{
	struct super_block *sb = inode->i_sb;
	const struct cred *old;
	ssize_t caps;

	if (!(file->f_flags & __FMODE_EXEC) ||
	    !(READ_ONCE(VERITYFS_SB(sb)->lower_path.mnt->mnt_flags) & MNT_NOSUID) ||
	    (file->f_path.mnt->mnt_flags & MNT_NOSUID))
		return 0;
	if (is_sxid(inode->i_mode))
		return -EPERM;
	old = verityfs_lower_override_creds(sb);
	caps = verityfs_compat_vfs_getxattr(verityfs_lower_dentry(file->f_path.dentry),
					    XATTR_NAME_CAPS, NULL, 0);
	verityfs_lower_revert_creds(old);
	return caps > 0 ? -EPERM : 0;
}

static int open_regular(struct inode *inode, struct file *file)
{
	int err;

	verityfs_open_refresh(inode, file->f_path.dentry, true);
	err = check_lower_nosuid(inode, file);
	if (err)
		return err;
	if (verityfs_inode_is_verity(inode))
		return verityfs_open_verity(inode, file);
	return verityfs_file_open_lower(file);
}

static ssize_t read_lower(struct kiocb *iocb, struct iov_iter *iter)
{
	struct file *file = iocb->ki_filp;
	struct file *lower = file->private_data;
	const struct cred *old;
	ssize_t ret;

	if (!iov_iter_count(iter))
		return 0;
	sync_lower_flags(file, lower);
	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	ret = vfs_iter_read(lower, iter, &iocb->ki_pos, 0);
	verityfs_lower_revert_creds(old);
	file_accessed(file);
	return ret;
}

static ssize_t read_regular(struct kiocb *iocb, struct iov_iter *iter)
{
	struct file *file = iocb->ki_filp;
	int err;

	if (!file_is_verity(file))
		return read_lower(iocb, iter);
	err = verity_ready(file);
	return err ? err : verityfs_read_iter(iocb, iter);
}

/*
 * Suid/sgid bits and security.capability go when the caller, not the
 * mounter, writes: the lower's own check would see the mounter's
 * CAP_FSETID. Called with the upper inode locked, as the VFS wants.
 */
static int remove_privs(struct file *file, struct inode *inode)
{
	verityfs_inode_copy_attr(inode, verityfs_lower_inode(inode));
	return file_remove_privs(file);
}

/*
 * The lower ->write_iter is called directly with our own kiocb: whether
 * vfs_iter_write() takes the lower fs's freeze protection itself changed in
 * 6.8, so this path takes it once, itself, on every kernel.
 */
static ssize_t write_lower(struct kiocb *iocb, struct iov_iter *iter)
{
	struct file *file = iocb->ki_filp;
	struct file *lower = file->private_data;
	struct inode *inode = file_inode(file);
	const struct cred *old;
	struct kiocb kiocb;
	ssize_t ret;

	if (!iov_iter_count(iter))
		return 0;
	if (file_is_verity(file))
		return -EPERM;
	if (!lower->f_op->write_iter)
		return -EINVAL;
	sync_lower_flags(file, lower);
	init_sync_kiocb(&kiocb, lower);
	kiocb.ki_pos = iocb->ki_pos;
	kiocb.ki_flags |= IOCB_WRITE |
			  (iocb->ki_flags & (IOCB_DSYNC | IOCB_SYNC | IOCB_APPEND));

	inode_lock(inode);
	ret = remove_privs(file, inode);
	if (ret)
		goto out;
	old = verityfs_lower_override_creds(inode->i_sb);
	file_start_write(lower);
	ret = lower->f_op->write_iter(&kiocb, iter);
	file_end_write(lower);
	verityfs_lower_revert_creds(old);
	if (ret > 0) {
		iocb->ki_pos = kiocb.ki_pos;
		fsnotify_modify(lower);
	}
out:
	verityfs_inode_copy_attr(inode, file_inode(lower));
	inode_unlock(inode);
	return ret;
}

/**
 * verityfs_file_llseek() - llseek of plain files and directories: the lower's
 * @file: the upper file
 * @offset: as for llseek
 * @whence: as for llseek
 *
 * Return: the new position or the lower's error.
 */
loff_t verityfs_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct file *lower = file->private_data;
	const struct cred *old;
	loff_t ret;

	/* SEEK_DATA/SEEK_HOLE and SEEK_END are the lower's to answer. */
	lower->f_pos = file->f_pos;
	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	ret = vfs_llseek(lower, offset, whence);
	verityfs_lower_revert_creds(old);
	file->f_pos = lower->f_pos;
	return ret;
}

/* A verity file's data is whole: its size is the one it was enabled at. */
static loff_t seek_regular(struct file *file, loff_t offset, int whence)
{
	if (file_is_verity(file))
		return generic_file_llseek(file, offset, whence);
	return verityfs_file_llseek(file, offset, whence);
}

/**
 * verityfs_file_fsync() - fsync of regular files and directories: the lower's
 * @file: the upper file
 * @start: first byte
 * @end: last byte
 * @datasync: as for fsync
 *
 * Return: 0 or the lower's error.
 */
int verityfs_file_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct file *lower = file->private_data;
	const struct cred *old;
	int err;

	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	err = vfs_fsync_range(lower, start, end, datasync);
	verityfs_lower_revert_creds(old);
	return err;
}

static long allocate_lower(struct file *file, int mode, loff_t offset, loff_t len)
{
	struct file *lower = file->private_data;
	struct inode *inode = file_inode(file);
	const struct cred *old;
	long err;

	if (file_is_verity(file))
		return -EPERM;
	inode_lock(inode);
	err = remove_privs(file, inode);
	if (!err) {
		old = verityfs_lower_override_creds(inode->i_sb);
		err = vfs_fallocate(lower, mode, offset, len);
		verityfs_lower_revert_creds(old);
	}
	verityfs_inode_copy_attr(inode, file_inode(lower));
	inode_unlock(inode);
	return err;
}

static int flush_lower(struct file *file, fl_owner_t id)
{
	struct file *lower = file->private_data;
	const struct cred *old;
	int err = 0;

	if (lower && lower->f_op->flush) {
		old = verityfs_lower_override_creds(file_inode(file)->i_sb);
		err = lower->f_op->flush(lower, id);
		verityfs_lower_revert_creds(old);
	}
	return err;
}

/*
 * Shared and private mappings of plain files both go to the lower file: the
 * mapping's file becomes the lower file, so shared writes land in the lower
 * page cache and msync/fsync reach the lower fs. A verity file maps its own
 * verified page cache, read-only as upstream.
 */
static int map_regular(struct file *file, struct vm_area_struct *vma)
{
	struct file *lower = file->private_data;
	const struct cred *old;
	int err;

	if (file_is_verity(file)) {
		err = verity_ready(file);
		return err ? err : generic_file_readonly_mmap(file, vma);
	}
	if (!verityfs_compat_can_mmap(lower))
		return -ENODEV;
	if (vma->vm_file != file)
		return -EINVAL;
	verityfs_compat_vma_set_file(vma, lower);
	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	err = verityfs_compat_vfs_mmap(lower, vma);
	verityfs_lower_revert_creds(old);
	file_accessed(file);
	return err;
}

static ssize_t splice_regular(struct file *in, loff_t *ppos, struct pipe_inode_info *pipe,
			      size_t len, unsigned int flags)
{
	int err;

	if (!file_is_verity(in))
		return verityfs_compat_copy_splice_read(in, ppos, pipe, len, flags);
	err = verity_ready(in);
	return err ? err : verityfs_read_splice(in, ppos, pipe, len, flags);
}

/* posix_fadvise() and readahead(2): the page cache that holds the data. */
static int advise_regular(struct file *file, loff_t offset, loff_t len, int advice)
{
	struct file *lower = file->private_data;
	const struct cred *old;
	int err;

	if (file_is_verity(file)) {
		err = verity_ready(file);
		return err ? err : generic_fadvise(file, offset, len, advice);
	}
	old = verityfs_lower_override_creds(file_inode(file)->i_sb);
	err = vfs_fadvise(lower, offset, len, advice);
	verityfs_lower_revert_creds(old);
	return err;
}

/* The caller's file_remove_privs() on the file written by a copy or clone. */
static int remove_out_privs(struct file *out)
{
	struct inode *inode = file_inode(out);
	int err;

	inode_lock(inode);
	err = remove_privs(out, inode);
	inode_unlock(inode);
	return err;
}

/*
 * copy_file_range() between plain files is the lower's (it may share
 * extents). From a verity file the data must come through the verified
 * page cache: a splice copy, as the VFS itself falls back to.
 */
static ssize_t copy_regular_range(struct file *in, loff_t pos_in, struct file *out,
				  loff_t pos_out, size_t len, unsigned int flags)
{
	const struct cred *old;
	ssize_t ret;

	if (!verityfs_file_is_regular(in) || !verityfs_file_is_regular(out))
		return -EXDEV;
	if (file_is_verity(out))
		return -EPERM;
	if (file_is_verity(in))
		return verityfs_compat_splice_copy(in, pos_in, out, pos_out, len);
	ret = remove_out_privs(out);
	if (ret)
		return ret;
	old = verityfs_lower_override_creds(file_inode(out)->i_sb);
	ret = vfs_copy_file_range(in->private_data, pos_in, out->private_data, pos_out,
				  len, flags);
	verityfs_lower_revert_creds(old);
	verityfs_inode_copy_attr(file_inode(out), file_inode((struct file *)out->private_data));
	return ret;
}

/*
 * Clone and dedupe share the lower's extents and never read through the
 * verified page cache, so verity files take no part: EOPNOTSUPP, after
 * which cp --reflink=auto and copy_file_range() copy instead.
 */
static loff_t remap_regular_range(struct file *in, loff_t pos_in, struct file *out,
				  loff_t pos_out, loff_t len, unsigned int remap_flags)
{
	struct file *lower_in = in->private_data, *lower_out = out->private_data;
	const struct cred *old;
	loff_t ret;

	if (!verityfs_file_is_regular(in) || !verityfs_file_is_regular(out))
		return -EXDEV;
	if (remap_flags & ~(REMAP_FILE_DEDUP | REMAP_FILE_ADVISORY))
		return -EINVAL;
	if (file_is_verity(in) || file_is_verity(out))
		return -EOPNOTSUPP;
	if (!(remap_flags & REMAP_FILE_DEDUP)) {
		ret = remove_out_privs(out);
		if (ret)
			return ret;
	}
	old = verityfs_lower_override_creds(file_inode(out)->i_sb);
	if (remap_flags & REMAP_FILE_DEDUP)
		ret = vfs_dedupe_file_range_one(lower_in, pos_in, lower_out, pos_out, len,
						remap_flags);
	else
		ret = vfs_clone_file_range(lower_in, pos_in, lower_out, pos_out, len,
					   remap_flags);
	verityfs_lower_revert_creds(old);
	verityfs_inode_copy_attr(file_inode(out), file_inode(lower_out));
	return ret;
}

/* Plain files never use the upper page cache; ->direct_IO only lets O_DIRECT opens through. */
const struct address_space_operations verityfs_file_aops = {
	.direct_IO	= noop_direct_IO,
};

static const struct file_operations file_fops = {
	.open		= open_regular,
	.release	= verityfs_file_release,
	.flush		= flush_lower,
	.llseek		= seek_regular,
	.read_iter	= read_regular,
	.write_iter	= write_lower,
	.mmap		= map_regular,
	.fsync		= verityfs_file_fsync,
	.fallocate	= allocate_lower,
	.fadvise	= advise_regular,
	.splice_read	= splice_regular,
	.splice_write	= iter_file_splice_write,
	.copy_file_range = copy_regular_range,
	.remap_file_range = remap_regular_range,
	.unlocked_ioctl	= verityfs_ioctl_dispatch,
	.compat_ioctl	= verityfs_ioctl_compat,
};

/*
 * The same without ->remap_file_range, for files of a lower that has none
 * (ext4, tmpfs): the VFS then refuses clone and dedupe as it does there
 * (FIDEDUPERANGE fails whole with EOPNOTSUPP instead of per range).
 */
static struct file_operations file_fops_noremap __ro_after_init;

void __init verityfs_file_init(void)
{
	file_fops_noremap = file_fops;
	file_fops_noremap.remap_file_range = NULL;
}

/* The file operations of a regular file whose lower inode is @lower. */
const struct file_operations *verityfs_file_fops_for(const struct inode *lower)
{
	if (lower->i_fop && lower->i_fop->remap_file_range)
		return &file_fops;
	return &file_fops_noremap;
}

bool verityfs_file_is_regular(const struct file *file)
{
	return file->f_op == &file_fops || file->f_op == &file_fops_noremap;
}
