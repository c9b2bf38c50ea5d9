// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.5 removed generic_file_splice_read(); copy_splice_read() reads through
 * ->read_iter instead.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

const struct file_operations verityfs_probe_fops = {
	.splice_read = copy_splice_read,
};
