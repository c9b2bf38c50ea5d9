// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.7 made shrinkers core-allocated:
 * shrinker_alloc/shrinker_register/shrinker_free.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/mm.h>
#include <linux/shrinker.h>

struct shrinker *verityfs_probe(void);
struct shrinker *verityfs_probe(void)
{
	return shrinker_alloc(0, "%s", "verityfs-probe");
}
