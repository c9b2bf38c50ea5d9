/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: private objects, accessors and prototypes, grouped by file.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_H
#define _VX_VERITYFS_H

#include <linux/atomic.h>
#include <linux/fs.h>

#define VERITYFS_NAME		"verityfs"
/* Magic reported by statfs when no lower is attached ("vfyS"). */
#define VERITYFS_SUPER_MAGIC	0x76667953

/* super.c */
extern struct file_system_type verityfs_fs_type;

/* hcache.c */
struct verityfs_hcache;
struct verityfs_hcache_stats {
	atomic_long_t hits;		/* tree block lookups served from the cache */
	atomic_long_t misses;		/* lookups that had to read and verify */
	atomic_long_t evictions;	/* blocks dropped by budget or shrinker */
	atomic_long_t verified_blocks;	/* data and tree blocks verified */
	atomic_long_t failures;		/* blocks that failed verification */
};
extern struct verityfs_hcache_stats verityfs_hcache_stats;
struct verityfs_hcache *verityfs_hcache_alloc(unsigned int block_size);
void verityfs_hcache_free(struct verityfs_hcache *hc);
bool verityfs_hcache_copy(struct verityfs_hcache *hc, unsigned long index,
			  unsigned int offset, void *out, unsigned int len);
void verityfs_hcache_insert(struct verityfs_hcache *hc, unsigned long index, const void *data);
unsigned long verityfs_hcache_usage(void);
int verityfs_hcache_init(void);
void verityfs_hcache_exit(void);

/* sysfs.c */
int verityfs_sysfs_init(void);
void verityfs_sysfs_exit(void);

#endif /* _VX_VERITYFS_H */
