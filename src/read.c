// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: verity files: their open, their page cache and its fill.
 *
 * A verity file has its own page cache in the upper inode. read_folio
 * (readpage before 5.19) and readahead read the lower file's data into the
 * upper page, zero-fill past EOF, verify every Merkle block of the page and
 * only then mark it uptodate; a page that fails stays !uptodate, so read()
 * gets EIO and a fault SIGBUS, and other pages stay readable. Pages are
 * order-0 (large folios are never enabled on these mappings).
 *
 * The lower file is read through its own page cache; on disk-backed lowers
 * the pages just read are dropped again, so the data is not cached twice.
 * tmpfs has no backing store to re-read from, so its pages stay.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/uio.h>

#include "verityfs.h"

static int fill_verified_page(struct inode *inode, struct page *page)
{
	struct verityfs_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);
	loff_t size = i_size_read(inode);
	loff_t pos = page_offset(page);
	ssize_t n = 0;
	void *addr;
	int err;

	if (WARN_ON_ONCE(!vi))
		return -EIO;
	addr = kmap(page);
	if (pos < size) {
		loff_t p = pos;

		n = kernel_read(vi->data_file, addr, min_t(loff_t, PAGE_SIZE, size - pos), &p);
	}
	if (n < 0) {
		err = n;
	} else {
		memset(addr + n, 0, PAGE_SIZE - n);
		err = verityfs_verify_range(inode, vi, pos, addr, PAGE_SIZE);
	}
	kunmap(page);
	if (vi->drop_lower_cache)
		invalidate_mapping_pages(file_inode(vi->data_file)->i_mapping,
					 pos >> PAGE_SHIFT, pos >> PAGE_SHIFT);
	if (!err)
		SetPageUptodate(page);
	unlock_page(page);
	return err;
}

#ifdef HAVE_AOPS_READ_FOLIO
static int read_verified_folio(struct file *file, struct folio *folio)
{
	fill_verified_page(folio->mapping->host, folio_page(folio, 0));
	return 0;
}
#else
static int read_verified_page(struct file *file, struct page *page)
{
	fill_verified_page(page->mapping->host, page);
	return 0;
}
#endif

#ifdef HAVE_READAHEAD_FOLIO
static void readahead_verified(struct readahead_control *rac)
{
	struct folio *folio;

	while ((folio = readahead_folio(rac)))
		fill_verified_page(rac->mapping->host, folio_page(folio, 0));
}
#else
static void readahead_verified(struct readahead_control *rac)
{
	struct page *page;

	/* readahead_page() returns an extra reference; readahead_folio() does not. */
	while ((page = readahead_page(rac))) {
		fill_verified_page(rac->mapping->host, page);
		put_page(page);
	}
}
#endif

const struct address_space_operations verityfs_verity_aops = {
#ifdef HAVE_AOPS_READ_FOLIO
	.read_folio	= read_verified_folio,
#else
	.readpage	= read_verified_page,
#endif
	.readahead	= readahead_verified,
	/* Lets O_DIRECT opens through; reads are served from the page cache. */
	.direct_IO	= noop_direct_IO,
};

/* Upstream serves O_DIRECT reads of verity files from the verified cache. */
static ssize_t read_verified_iter(struct kiocb *iocb, struct iov_iter *to)
{
	iocb->ki_flags &= ~IOCB_DIRECT;
	return generic_file_read_iter(iocb, to);
}

/* The lower file of an upper verity file, opened for reading as the mounter. */
static struct file *open_lower_for_reading(struct file *file)
{
	const struct cred *old;
	struct file *lower;

	old = verityfs_override_creds(file_inode(file)->i_sb);
	lower = dentry_open(&VERITYFS_E(file->f_path.dentry)->lower_path,
			    O_RDONLY | O_LARGEFILE, current_cred());
	verityfs_revert_creds(old);
	return lower;
}

/**
 * verityfs_verity_attach_data() - open the lower data file for the read path
 * @vi: the verity state being built
 * @file: an open upper file of the verity inode
 *
 * Return: 0 or the error of opening the lower file.
 */
int verityfs_verity_attach_data(struct verityfs_info *vi, struct file *file)
{
	struct file *f = open_lower_for_reading(file);

	if (IS_ERR(f))
		return PTR_ERR(f);
	vi->data_file = f;
	/* Drop what we read from the lower cache only where it can be re-read. */
	vi->drop_lower_cache = file_inode(f)->i_sb->s_type->fs_flags & FS_REQUIRES_DEV;
	return 0;
}

/**
 * verityfs_verity_init_inode() - make an inode a verity inode (ops, flag)
 * @inode: a regular upper inode whose lower file has a verity record
 */
void verityfs_verity_init_inode(struct inode *inode)
{
	set_bit(VERITYFS_IF_VERITY, &VERITYFS_I(inode)->flags);
	inode->i_fop = &verityfs_verity_fops;
	inode->i_mapping->a_ops = &verityfs_verity_aops;
}

/**
 * verityfs_verity_publish() - a file just became a verity file
 * @inode: the upper inode
 * @vi: its verity state; the inode owns it from now on
 *
 * Files already open keep reading through the lower file, as upstream keeps
 * pages cached before enabling; every new open gets the verified path.
 */
void verityfs_verity_publish(struct inode *inode, struct verityfs_info *vi)
{
	truncate_inode_pages(inode->i_mapping, 0);
	/* Pairs with smp_load_acquire() in the open and read paths. */
	smp_store_release(&VERITYFS_I(inode)->verity, vi);
	verityfs_verity_init_inode(inode);
}

static int open_verity_file(struct inode *inode, struct file *file)
{
	struct verityfs_inode_info *vii = VERITYFS_I(inode);
	struct verityfs_info *vi;
	struct file *lower;
	int err;

	/* Verity files are immutable. */
	if (file->f_mode & FMODE_WRITE)
		return -EPERM;
	if (!smp_load_acquire(&vii->verity)) {
		vi = verityfs_store_load(inode, verityfs_lower_dentry(file->f_path.dentry));
		if (IS_ERR(vi))
			return PTR_ERR(vi);
		if (!vi)		/* the record vanished behind our back */
			return -EINVAL;
		err = verityfs_verity_attach_data(vi, file);
		if (err) {
			verityfs_info_free(vi);
			return err;
		}
		/* Loaded by a concurrent open first: keep that one. */
		if (cmpxchg_release(&vii->verity, NULL, vi))
			verityfs_info_free(vi);
	}
	/* Loaded at an earlier open: the lower may have been resized since. */
	err = verityfs_store_check_size(inode, smp_load_acquire(&vii->verity)->params.data_size);
	if (err)
		return err;
	/* The lower file serves the ioctls and attributes, never the data. */
	lower = open_lower_for_reading(file);
	if (IS_ERR(lower))
		return PTR_ERR(lower);
	file->private_data = lower;
	return 0;
}

const struct file_operations verityfs_verity_fops = {
	.open		= open_verity_file,
	.release	= verityfs_release_lower,
	.llseek		= generic_file_llseek,
	.read_iter	= read_verified_iter,
	.mmap		= generic_file_readonly_mmap,
#ifdef HAVE_FILEMAP_SPLICE_READ
	.splice_read	= filemap_splice_read,
#else
	.splice_read	= generic_file_splice_read,
#endif
	.fsync		= noop_fsync,
	.unlocked_ioctl	= verityfs_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};
