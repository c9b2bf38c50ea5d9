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
 * A readahead batch is filled with one read of the lower file, straight into
 * the upper pages through a bvec iterator, and verified with one verifier
 * (scratch allocated once per batch). The lower is read through its own page
 * cache, so its readahead keeps the device busy while we hash; the pages
 * just read are dropped again on every lower with a backing store, so the
 * data is not cached twice. tmpfs and ramfs pages are the storage itself and
 * cannot be dropped: there the data is held twice (docs/bench.md).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/backing-dev.h>
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "verityfs.h"

/* Pages filled and verified together: one lower read, one verifier. */
#define VERITYFS_READ_BATCH	64

struct read_batch {
	struct verityfs_verifier vc;
	unsigned int nr;			/* pages collected, contiguous */
	struct page *pages[VERITYFS_READ_BATCH];
	struct bio_vec bv[VERITYFS_READ_BATCH];
};

/* Read the lower bytes of the batch's pages; returns bytes read or an error. */
static ssize_t read_lower_into_pages(struct verityfs_info *vi, struct read_batch *rb,
				     loff_t pos, size_t len)
{
	struct iov_iter iter;
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < rb->nr; i++) {
		rb->bv[i].bv_page = rb->pages[i];
		rb->bv[i].bv_offset = 0;
		rb->bv[i].bv_len = PAGE_SIZE;
	}
	/* READ is ITER_DEST on the kernels that have the name. */
	iov_iter_bvec(&iter, READ, rb->bv, rb->nr, len);
	while (done < len) {
		loff_t p = pos + done;
		ssize_t n = vfs_iter_read(vi->data_file, &iter, &p, 0);

		if (n < 0)
			return n;
		if (n == 0)
			break;		/* the lower file shrank: verification fails */
		done += n;
	}
	return done;
}

/*
 * Fill, verify and unlock the batch's pages. A page that fails stays
 * !uptodate; the others of the batch are unaffected.
 */
static void fill_verified_batch(struct inode *inode, struct read_batch *rb)
{
	struct verityfs_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);
	loff_t size = i_size_read(inode);
	loff_t pos;
	ssize_t n = 0;
	unsigned int i;
	int err = 0;

	if (!rb->nr)
		return;
	pos = page_offset(rb->pages[0]);
	if (WARN_ON_ONCE(!vi))
		err = -EIO;
	else
		err = verityfs_verifier_init(&rb->vc, vi);
	if (!err && pos < size)
		n = read_lower_into_pages(vi, rb, pos,
					  min_t(loff_t, (loff_t)rb->nr << PAGE_SHIFT, size - pos));
	if (n < 0)
		err = n;
	for (i = 0; i < rb->nr; i++) {
		struct page *page = rb->pages[i];
		size_t valid = clamp_t(ssize_t, n - ((ssize_t)i << PAGE_SHIFT), 0, PAGE_SIZE);
		int perr = err;

		if (!perr) {
			void *addr = kmap(page);

			memset(addr + valid, 0, PAGE_SIZE - valid);
			perr = verityfs_verifier_check(inode, &rb->vc, page_offset(page),
						       addr, PAGE_SIZE);
			kunmap(page);
		}
		if (!perr)
			SetPageUptodate(page);
		unlock_page(page);
	}
	if (vi) {
		verityfs_verifier_destroy(&rb->vc);
		if (vi->drop_lower_cache)
			invalidate_mapping_pages(file_inode(vi->data_file)->i_mapping,
						 pos >> PAGE_SHIFT,
						 (pos >> PAGE_SHIFT) + rb->nr - 1);
	}
	rb->nr = 0;
}

static struct read_batch *alloc_batch(void)
{
	return kmalloc(sizeof(struct read_batch), GFP_NOFS);
}

/* One page alone; without memory for it the page stays !uptodate (EIO). */
static void fill_verified_page(struct inode *inode, struct page *page)
{
	struct read_batch *rb = alloc_batch();

	if (!rb) {
		unlock_page(page);
		return;
	}
	rb->nr = 1;
	rb->pages[0] = page;
	fill_verified_batch(inode, rb);
	kfree(rb);
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

/*
 * The pages of one readahead call are contiguous and locked; they are filled
 * VERITYFS_READ_BATCH at a time. Without memory for the batch they are left
 * !uptodate and unlocked, and the read falls back to read_folio.
 */
#ifdef HAVE_READAHEAD_FOLIO
static void readahead_verified(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;
	struct read_batch *rb = alloc_batch();
	struct folio *folio;

	while ((folio = readahead_folio(rac))) {
		if (!rb) {
			folio_unlock(folio);
			continue;
		}
		rb->pages[rb->nr++] = folio_page(folio, 0);
		if (rb->nr == VERITYFS_READ_BATCH)
			fill_verified_batch(inode, rb);
	}
	if (rb)
		fill_verified_batch(inode, rb);
	kfree(rb);
}
#else
static void readahead_verified(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;
	struct read_batch *rb = alloc_batch();
	struct page *page;

	/*
	 * readahead_page() returns an extra reference; readahead_folio() does
	 * not. The page cache's own reference keeps a locked page alive, so
	 * the extra one is dropped at once.
	 */
	while ((page = readahead_page(rac))) {
		put_page(page);
		if (!rb) {
			unlock_page(page);
			continue;
		}
		rb->pages[rb->nr++] = page;
		if (rb->nr == VERITYFS_READ_BATCH)
			fill_verified_batch(inode, rb);
	}
	if (rb)
		fill_verified_batch(inode, rb);
	kfree(rb);
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

/*
 * Whether the lower's pages can be dropped after reading: anything with a
 * backing store (a device, a server) re-reads them. tmpfs and ramfs pages
 * are the file's only copy.
 */
static bool lower_can_reread(struct super_block *lower_sb)
{
	return lower_sb->s_magic != TMPFS_MAGIC && lower_sb->s_magic != RAMFS_MAGIC;
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
	vi->drop_lower_cache = lower_can_reread(file_inode(f)->i_sb);
	return 0;
}

/**
 * verityfs_verity_setup_bdi() - give the upper super block its own readahead
 * @sb: the verityfs super block being filled
 * @lower_sb: the lower filesystem's
 *
 * Without a bdi of its own the upper mapping of a verity file gets no
 * readahead at all (noop_backing_dev_info): every page would be a separate
 * read_folio and a separate lower read. The window follows the lower's.
 *
 * Return: 0 or -ENOMEM.
 */
int verityfs_verity_setup_bdi(struct super_block *sb, struct super_block *lower_sb)
{
	int err = super_setup_bdi(sb);

	if (err)
		return err;
	sb->s_bdi->ra_pages = max(sb->s_bdi->ra_pages, lower_sb->s_bdi->ra_pages);
	sb->s_bdi->io_pages = max(sb->s_bdi->io_pages, lower_sb->s_bdi->io_pages);
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
	verityfs_count_file_opened(inode->i_sb);
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
