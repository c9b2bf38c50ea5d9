/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: filling the page cache of verity files.
 *
 * verityfs's own mapping uses order-0 pages only, so every helper here takes
 * and gives a struct page, whatever the kernel's readahead hands out.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_PAGEMAP_H
#define _VX_COMPAT_PAGEMAP_H

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

/*
 * 5.11 added kmap_local_page(), a mapping that may be held while the task
 * sleeps. 5.10's kmap() may be held as long; the two differ only in the
 * argument of the unmap (polyfill, same semantics for a thread-local use).
 */
#ifndef HAVE_KMAP_LOCAL_PAGE
#define kmap_local_page(page)	kmap(page)
#define kunmap_local(addr)	kunmap(kmap_to_page(addr))
#endif

/*
 * The next locked page of a readahead, with no reference of ours to drop.
 * 5.16 added readahead_folio(), which returns none; readahead_page() returns
 * an extra one, dropped here at once: the page cache's own reference keeps
 * a locked page alive.
 */
static inline struct page *verityfs_compat_readahead_page(struct readahead_control *rac)
{
#ifdef HAVE_READAHEAD_FOLIO
	struct folio *folio = readahead_folio(rac);

	return folio ? folio_page(folio, 0) : NULL;
#else
	struct page *page = readahead_page(rac);

	if (page)
		put_page(page);
	return page;
#endif
}

/*
 * End the read of a locked page: uptodate when @ok, then unlocked. 6.7 added
 * folio_end_read(), which does both in one atomic step.
 */
static inline void verityfs_compat_end_read(struct page *page, bool ok)
{
#ifdef HAVE_FOLIO_END_READ
	folio_end_read(page_folio(page), ok);
#else
	if (ok)
		SetPageUptodate(page);
	unlock_page(page);
#endif
}

#endif /* _VX_COMPAT_PAGEMAP_H */
