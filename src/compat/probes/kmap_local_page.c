// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.11 added kmap_local_page(); 5.10 has only kmap_atomic().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/highmem.h>

void verityfs_probe(struct page *page);
void verityfs_probe(struct page *page)
{
	void *p = kmap_local_page(page);

	kunmap_local(p);
}
