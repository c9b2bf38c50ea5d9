// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.5 replaced generic_file_splice_read() with filemap_splice_read() and
 * copy_splice_read().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

const struct file_operations verityfs_probe_fops = {
	.splice_read = filemap_splice_read,
};
