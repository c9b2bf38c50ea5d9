// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.19 replaced address_space_operations.readpage with read_folio.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/pagemap.h>

static int probe_read_folio(struct file *file, struct folio *folio)
{
	return 0;
}

const struct address_space_operations verityfs_probe_aops = {
	.read_folio = probe_read_folio,
};
