// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.0 gave register_shrinker() a printf-style name; 6.7 removed it for
 * shrinker_alloc().
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/mm.h>
#include <linux/shrinker.h>

int verityfs_probe(struct shrinker *s);
int verityfs_probe(struct shrinker *s)
{
	return register_shrinker(s, "%s", "verityfs-probe");
}
