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

#include <verityfs/core.h>

#define VERITYFS_NAME		"verityfs"
/* Magic reported by statfs when no lower is attached ("vfyS"). */
#define VERITYFS_SUPER_MAGIC	0x76667953

/* Offset of the sig_size field in the stored descriptor. */
#define VERITYFS_DESC_SIG_SIZE_OFFSET	4

/**
 * struct verityfs_info - a verity file's state, immutable once built
 * @params: Merkle tree geometry and the salted hash state
 * @root_hash: the descriptor's root hash
 * @file_digest: the fs-verity file digest (FS_IOC_MEASURE_VERITY)
 * @desc: the descriptor (sig_size zeroed) followed by the signature
 * @sig_size: bytes of signature after the 256-byte descriptor
 * @tree_file: the open file that holds the Merkle tree
 * @tree_pos: byte offset of the tree's first block in @tree_file
 * @hcache: verified tree blocks of this file
 */
struct verityfs_info {
	struct verityfs_core_params params;
	u8 root_hash[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 file_digest[VERITYFS_CORE_MAX_DIGEST_SIZE];
	void *desc;
	u32 sig_size;
	struct file *tree_file;
	loff_t tree_pos;
	struct verityfs_hcache *hcache;
};

/* msg.c */
__printf(3, 4)
void verityfs_msg(const struct inode *inode, const char *level, const char *fmt, ...);
#define verityfs_err(inode, fmt, ...) verityfs_msg(inode, KERN_ERR, fmt, ##__VA_ARGS__)
#define verityfs_warn(inode, fmt, ...) verityfs_msg(inode, KERN_WARNING, fmt, ##__VA_ARGS__)

/* open.c */
struct verityfs_info *verityfs_info_create(struct inode *inode, const void *desc,
					   size_t desc_size, struct file *tree_file,
					   loff_t tree_pos);
void verityfs_info_free(struct verityfs_info *vi);

/* verify_io.c */
int verityfs_verify_range(struct inode *inode, struct verityfs_info *vi, u64 pos,
			  const void *data, size_t len);

/* measure.c */
int verityfs_ioctl_measure(struct verityfs_info *vi, void __user *uarg);

/* read_metadata.c */
long verityfs_ioctl_read_metadata(struct verityfs_info *vi, void __user *uarg);

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
