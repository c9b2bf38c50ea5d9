// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.1 made filldir_t (the dir_context actor) return bool instead of int.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

static bool probe_actor(struct dir_context *ctx, const char *name, int len,
			loff_t pos, u64 ino, unsigned int type)
{
	return true;
}

struct dir_context verityfs_probe_ctx = { .actor = probe_actor };
