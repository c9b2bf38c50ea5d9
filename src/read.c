// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: the page cache of verity files and its verified fill.
 *
 * A verity file has its own page cache in the upper inode. read_folio
 * (readpage before 5.19) and readahead read the lower file's data into the
 * upper page, zero-fill past EOF, verify every Merkle block of the page and
 * only then mark it uptodate; a page that fails stays !uptodate, so read()
 * gets EIO and a fault SIGBUS, and other pages stay readable. Pages are
 * order-0 (large folios are never enabled on these mappings).
 *
 * Readahead is asynchronous, as in native fs-verity. readahead_verified()
 * collects batches of pages and starts their lower reads: on a lower that
 * can do O_DIRECT, a direct read straight into the upper pages (no lower
 * page is allocated, copied or dropped); on others, a readahead hint to the
 * lower's page cache. The tree blocks the hash cache lacks are read ahead at
 * the same time, so that they are in flight together with the data. The
 * caller's plug then dispatches the I/O at once. When the direct read
 * completes (at once on the other lowers) a work item reads whatever is
 * still missing through the lower's page cache, verifies the batch with one
 * verifier and unlocks its pages; readers wait on the page lock. Lower pages
 * read on the way are dropped again on every lower with a backing store, so
 * the data is not cached twice; tmpfs and ramfs pages are the storage itself
 * and cannot be dropped: there the data is held twice (docs/bench.md).
 * read_folio (readpage before 5.19) fills its page synchronously.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fadvise.h>
#include <linux/fs.h>
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "verityfs.h"

/*
 * Pages filled and verified together: one lower read, one verifier. Small
 * enough that a readahead window of the usual 128 KiB makes several batches
 * to hash in parallel.
 */
#define VERITYFS_READ_BATCH	16

struct read_batch {
	struct work_struct work;
	struct inode *inode;
	struct verityfs_verity_info *vi;
	loff_t pos;				/* file offset of pages[0] */
	size_t len;				/* bytes of data in the batch */
	ssize_t lower_ret;			/* what the asynchronous read got */
	bool spread;				/* one of several batches of a readahead */
	struct kiocb iocb;			/* that read */
	struct iov_iter iter;
	struct verityfs_verifier vc;
	unsigned int nr;			/* pages collected, contiguous */
	struct page *pages[VERITYFS_READ_BATCH];
	struct bio_vec bv[VERITYFS_READ_BATCH];
};

/*
 * Where batches are verified: a readahead of one batch (small and random
 * reads) on the CPU that completed its I/O, a readahead of several spread
 * over all CPUs, so that they are hashed in parallel.
 */
static struct workqueue_struct *verityfs_read_wq;
static struct workqueue_struct *verityfs_read_spread_wq;

/* Point the batch's iterator at its pages, from byte @skip on, for @len bytes. */
static void batch_iter(struct read_batch *rb, size_t skip, size_t len)
{
	unsigned int i;

	for (i = 0; i < rb->nr; i++) {
		rb->bv[i].bv_page = rb->pages[i];
		rb->bv[i].bv_offset = 0;
		rb->bv[i].bv_len = PAGE_SIZE;
	}
	/* READ is ITER_DEST on the kernels that have the name. */
	iov_iter_bvec(&rb->iter, READ, rb->bv, rb->nr, skip + len);
	iov_iter_advance(&rb->iter, skip);
}

/*
 * Read the batch's lower bytes that the asynchronous read did not get
 * (all of them without one), through the lower's page cache.
 * Returns the bytes now in the pages, or an error.
 */
static ssize_t read_lower_rest(struct read_batch *rb, size_t done)
{
	batch_iter(rb, done, rb->len - done);
	while (done < rb->len) {
		loff_t p = rb->pos + done;
		ssize_t n = vfs_iter_read(rb->vi->data_file, &rb->iter, &p, 0);

		if (n < 0)
			return n;
		if (n == 0)
			break;		/* the lower file shrank: verification fails */
		done += n;
	}
	return done;
}

/* Map page @i of the batch, zero-filled past the @n bytes read. */
static void *map_batch_page(struct read_batch *rb, ssize_t n, unsigned int i)
{
	size_t valid = clamp_t(ssize_t, n - ((ssize_t)i << PAGE_SHIFT), 0, PAGE_SIZE);
	void *addr = kmap_local_page(rb->pages[i]);

	memset(addr + valid, 0, PAGE_SIZE - valid);
	return addr;
}

/*
 * Fill, verify and unlock the batch's pages. A page that fails stays
 * !uptodate; the others of the batch are unaffected.
 *
 * The pages are unlocked last, after every use of the inode and its verity
 * state: a locked page keeps the inode from being evicted (eviction and
 * umount wait for it), and nothing else pins the inode while this runs on
 * a work queue after the reader has gone.
 */
static void fill_verified_batch(struct read_batch *rb)
{
	struct verityfs_verity_info *vi = rb->vi;
	ssize_t n = min_t(ssize_t, rb->lower_ret, rb->len);
	DECLARE_BITMAP(good, VERITYFS_READ_BATCH);
	bool buffered = false;
	unsigned int i;
	int err;

	/* A refused alignment or a short read: the rest comes buffered. */
	if (n == -EINVAL)
		n = 0;
	if (n >= 0 && n < (ssize_t)rb->len) {
		n = read_lower_rest(rb, n);
		buffered = true;
	}
	err = n < 0 ? n : verityfs_verifier_init(&rb->vc, vi);
	bitmap_zero(good, VERITYFS_READ_BATCH);
	/* Two pages at a time, so that a 2-way hash can take them together. */
	for (i = 0; !err && i < rb->nr; i += 2) {
		void *addr1 = map_batch_page(rb, n, i);
		int err1, err2;

		if (i + 1 < rb->nr) {
			void *addr2 = map_batch_page(rb, n, i + 1);

			verityfs_verifier_check2(rb->inode, &rb->vc,
						 page_offset(rb->pages[i]), addr1,
						 page_offset(rb->pages[i + 1]), addr2,
						 PAGE_SIZE, &err1, &err2);
			if (!err2)
				__set_bit(i + 1, good);
			kunmap_local(addr2);
		} else {
			err1 = verityfs_verifier_check(rb->inode, &rb->vc,
						       page_offset(rb->pages[i]), addr1,
						       PAGE_SIZE);
		}
		if (!err1)
			__set_bit(i, good);
		kunmap_local(addr1);
	}
	if (!err)
		verityfs_verifier_destroy(&rb->vc);
	/* Not cached twice: what came through the lower's page cache leaves it. */
	if (buffered && vi->drop_lower_cache) {
		pgoff_t first = rb->pos >> PAGE_SHIFT;

		invalidate_mapping_pages(file_inode(vi->data_file)->i_mapping, first,
					 first + rb->nr - 1);
	}
	for (i = 0; i < rb->nr; i++)
		verityfs_compat_end_read(rb->pages[i], test_bit(i, good));
}

static void fill_verified_work(struct work_struct *work)
{
	struct read_batch *rb = container_of(work, struct read_batch, work);

	fill_verified_batch(rb);
	kfree(rb);
}

static void queue_fill(struct read_batch *rb, ssize_t lower_ret)
{
	rb->lower_ret = lower_ret;
	INIT_WORK(&rb->work, fill_verified_work);
	queue_work(rb->spread ? verityfs_read_spread_wq : verityfs_read_wq, &rb->work);
}

/* Completion of the asynchronous lower read; may run in interrupt context. */
#ifdef HAVE_KI_COMPLETE_2ARGS
static void lower_read_done(struct kiocb *iocb, long ret)
#else
static void lower_read_done(struct kiocb *iocb, long ret, long ret2)
#endif
{
	queue_fill(container_of(iocb, struct read_batch, iocb), ret);
}

/*
 * Start the lower read of the batch without waiting: O_DIRECT into the
 * pages where the lower can (verification then runs on completion, as
 * native fs-verity's does), else a readahead hint to the lower's page cache.
 * Returns what the read got when it did not go asynchronous.
 */
static ssize_t start_lower_read(struct read_batch *rb)
{
	struct verityfs_verity_info *vi = rb->vi;

	if (!vi->read_direct) {
		vfs_fadvise(vi->data_file, rb->pos, rb->len, POSIX_FADV_WILLNEED);
		return 0;
	}
	/* Whole pages: direct I/O wants aligned lengths; the read ends at EOF. */
	batch_iter(rb, 0, (size_t)rb->nr << PAGE_SHIFT);
	init_sync_kiocb(&rb->iocb, vi->data_file);
	rb->iocb.ki_pos = rb->pos;
	rb->iocb.ki_flags |= IOCB_DIRECT;
	rb->iocb.ki_complete = lower_read_done;
	return vfs_iocb_iter_read(vi->data_file, &rb->iocb, &rb->iter);
}

static struct read_batch *alloc_batch(struct inode *inode, bool spread)
{
	struct read_batch *rb = kmalloc(sizeof(*rb), GFP_NOFS);

	if (rb) {
		rb->inode = inode;
		rb->nr = 0;
		rb->spread = spread;
	}
	return rb;
}

/*
 * Fill the collected batch and free it. The reads of the data and of the
 * tree blocks the hash cache lacks are started first, so that they are in
 * flight together; @sync fills it here, otherwise on the read work queue.
 * A readahead that comes from our own work (verityfs stacked on verityfs)
 * is always filled here, so that no work ever waits for another one of the
 * same queue.
 */
static void fill_batch(struct read_batch *rb, bool sync)
{
	/* Pairs with the cmpxchg() that installs the state (open.c). */
	struct verityfs_verity_info *vi = smp_load_acquire(&VERITYFS_I(rb->inode)->verity);
	loff_t size = i_size_read(rb->inode);
	ssize_t ret;
	unsigned int i;

	/*
	 * Every path into the page cache loads the state first (file.c); a
	 * fill without one has no tree to verify against and fails.
	 */
	if (unlikely(!vi)) {
		for (i = 0; i < rb->nr; i++)
			verityfs_compat_end_read(rb->pages[i], false);
		kfree(rb);
		return;
	}
	rb->vi = vi;
	rb->pos = page_offset(rb->pages[0]);
	rb->len = rb->pos < size ? min_t(loff_t, (loff_t)rb->nr << PAGE_SHIFT, size - rb->pos) : 0;
	if (current_work() && current_work()->func == fill_verified_work)
		sync = true;
	if (rb->len)
		verityfs_verifier_prefetch(vi, rb->pos, rb->len);
	if (sync || !rb->len) {
		rb->lower_ret = 0;
		fill_verified_work(&rb->work);
		return;
	}
	ret = start_lower_read(rb);
	if (ret != -EIOCBQUEUED)
		queue_fill(rb, ret);
}

/* One page alone; without memory for it the page stays !uptodate (EIO). */
static void fill_verified_page(struct inode *inode, struct page *page)
{
	struct read_batch *rb = alloc_batch(inode, false);

	if (!rb) {
		unlock_page(page);
		return;
	}
	rb->pages[rb->nr++] = page;
	fill_batch(rb, true);
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

/* Collect one page of a readahead call into the current batch. */
static struct read_batch *batch_add(struct inode *inode, struct read_batch *rb,
				    struct page *page, bool spread)
{
	if (!rb)
		rb = alloc_batch(inode, spread);
	if (!rb) {
		/* Left !uptodate: the read falls back to read_folio. */
		unlock_page(page);
		return NULL;
	}
	rb->pages[rb->nr++] = page;
	if (rb->nr < VERITYFS_READ_BATCH)
		return rb;
	fill_batch(rb, false);
	return NULL;
}

/*
 * The pages of one readahead call are contiguous and locked; they are filled
 * VERITYFS_READ_BATCH at a time, asynchronously.
 */
static void readahead_verified(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;
	bool spread = readahead_count(rac) > VERITYFS_READ_BATCH;
	struct read_batch *rb = NULL;
	struct page *page;

	while ((page = verityfs_compat_readahead_page(rac)))
		rb = batch_add(inode, rb, page, spread);
	if (rb)
		fill_batch(rb, false);
}

const struct address_space_operations verityfs_read_aops = {
#ifdef HAVE_AOPS_READ_FOLIO
	.read_folio	= read_verified_folio,
#else
	.readpage	= read_verified_page,
#endif
	.readahead	= readahead_verified,
	/* Lets O_DIRECT opens through; reads are served from the page cache. */
	.direct_IO	= noop_direct_IO,
};

/**
 * verityfs_read_iter() - read(2) of a verity file, from the verified page cache
 * @iocb: the read; its file's inode has its verity state loaded
 * @to: where the data goes
 *
 * Upstream serves O_DIRECT reads of verity files from the verified cache too.
 *
 * Return: bytes read, or -EIO for a block that failed verification.
 */
ssize_t verityfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	iocb->ki_flags &= ~IOCB_DIRECT;
	return generic_file_read_iter(iocb, to);
}

/**
 * verityfs_read_splice() - splice(2) and sendfile(2) from a verity file
 * @in: the file, whose inode has its verity state loaded
 * @ppos: its position
 * @pipe: the pipe
 * @len: bytes wanted
 * @flags: SPLICE_F_*
 *
 * Return: bytes spliced, or -EIO for a block that failed verification.
 */
ssize_t verityfs_read_splice(struct file *in, loff_t *ppos, struct pipe_inode_info *pipe,
			     size_t len, unsigned int flags)
{
	return verityfs_compat_filemap_splice_read(in, ppos, pipe, len, flags);
}

/**
 * verityfs_read_init() - create the work queues that verify readahead batches
 *
 * High priority, like native fs-verity's: readers wait for them. They may
 * have to make progress under memory pressure (page faults of verity
 * executables), hence the rescuers.
 *
 * Return: 0 or -ENOMEM.
 */
int verityfs_read_init(void)
{
	verityfs_read_wq = alloc_workqueue("verityfs_read", WQ_PERCPU | WQ_HIGHPRI | WQ_MEM_RECLAIM,
					   num_online_cpus());
	if (!verityfs_read_wq)
		return -ENOMEM;
	verityfs_read_spread_wq = alloc_workqueue("verityfs_read_spread",
						  WQ_UNBOUND | WQ_HIGHPRI | WQ_MEM_RECLAIM, 0);
	if (!verityfs_read_spread_wq) {
		destroy_workqueue(verityfs_read_wq);
		return -ENOMEM;
	}
	return 0;
}

/**
 * verityfs_read_exit() - destroy the read work queues at module unload
 *
 * Every verityfs is unmounted by then, so no batch is pending.
 */
void verityfs_read_exit(void)
{
	destroy_workqueue(verityfs_read_spread_wq);
	destroy_workqueue(verityfs_read_wq);
}
