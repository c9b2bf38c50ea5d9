// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.16 added readahead_folio(), which, unlike readahead_page(), returns no
 * extra reference.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/pagemap.h>

struct folio *verityfs_probe(struct readahead_control *rac);
struct folio *verityfs_probe(struct readahead_control *rac)
{
	return readahead_folio(rac);
}
