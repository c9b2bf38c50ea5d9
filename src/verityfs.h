/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: private objects, accessors and prototypes, grouped by file.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_H
#define _VX_VERITYFS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/kobject.h>

#include <verityfs/core.h>

#define VERITYFS_NAME		"verityfs"
/* Magic reported by statfs when no lower is attached ("vfyS"). */
#define VERITYFS_SUPER_MAGIC	0x76667953

/**
 * struct verityfs_verity_info - a verity file's state, immutable once built
 * @params: Merkle tree geometry and the salted hash state
 * @root_hash: the descriptor's root hash
 * @file_digest: the fs-verity file digest (FS_IOC_MEASURE_VERITY)
 * @desc: the descriptor (sig_size zeroed) followed by the signature
 * @sig_size: bytes of signature after the 256-byte descriptor
 * @tree_file: the open file that holds the Merkle tree
 * @tree_pos: byte offset of the tree's first block in @tree_file
 * @hcache: verified tree blocks of this file
 * @data_file: the lower file, open for reading, that the read path fills from
 * @drop_lower_cache: drop the lower's page cache after reading (disk-backed lowers)
 * @read_direct: read the data with O_DIRECT (disk-backed lowers that can)
 * @spare_scratch: a verifier's scratch kept for the next one (see verifier.c)
 */
struct verityfs_verity_info {
	struct verityfs_core_params params;
	u8 root_hash[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 file_digest[VERITYFS_CORE_MAX_DIGEST_SIZE];
	void *desc;
	u32 sig_size;
	struct file *tree_file;
	loff_t tree_pos;
	struct verityfs_hcache *hcache;
	struct file *data_file;
	bool drop_lower_cache;
	bool read_direct;
	u8 *spare_scratch;
};

/* msg.c */
__printf(4, 5)
void verityfs_msg(const struct super_block *sb, const struct inode *inode, const char *level,
		  const char *fmt, ...);
/* About an inode: "verityfs (MAJ:MIN, inode N): ..." */
#define verityfs_err(inode, fmt, ...) verityfs_msg(NULL, inode, KERN_ERR, fmt, ##__VA_ARGS__)
#define verityfs_warn(inode, fmt, ...) verityfs_msg(NULL, inode, KERN_WARNING, fmt, ##__VA_ARGS__)
/* About a mount: "verityfs (MAJ:MIN): ..." */
#define verityfs_sb_err(sb, fmt, ...) verityfs_msg(sb, NULL, KERN_ERR, fmt, ##__VA_ARGS__)
#define verityfs_sb_warn(sb, fmt, ...) verityfs_msg(sb, NULL, KERN_WARNING, fmt, ##__VA_ARGS__)

/* open.c */
struct verityfs_verity_info *verityfs_open_create_info(struct inode *inode, const void *desc,
						       size_t desc_size, struct file *tree_file,
						       loff_t tree_pos);
void verityfs_open_free_info(struct verityfs_verity_info *vi);
void verityfs_open_init_inode(struct inode *inode);
bool verityfs_open_refresh_needed(struct inode *inode, bool lower_changed);
void verityfs_open_refresh(struct inode *inode, struct dentry *dentry, bool lower_changed);
int verityfs_open_attach_data(struct verityfs_verity_info *vi, struct super_block *sb,
			      const struct path *lower_path);
struct verityfs_verity_info *verityfs_open_get_info(struct inode *inode, struct dentry *dentry);
void verityfs_open_publish(struct inode *inode, struct verityfs_verity_info *vi);
int verityfs_open_verity(struct inode *inode, struct file *file);
void verityfs_open_release(struct inode *inode);

/* kverity.c: the kernel's fs-verity learns verityfs's verity files */
#if IS_ENABLED(CONFIG_FS_VERITY)
void verityfs_kverity_init_sb(struct super_block *sb);
void verityfs_kverity_mark(struct inode *inode);
void verityfs_kverity_open(struct inode *inode, struct file *file);
void verityfs_kverity_evict(struct inode *inode);
#else
static inline void verityfs_kverity_init_sb(struct super_block *sb)
{
}

static inline void verityfs_kverity_mark(struct inode *inode)
{
}

static inline void verityfs_kverity_open(struct inode *inode, struct file *file)
{
}

static inline void verityfs_kverity_evict(struct inode *inode)
{
}
#endif

/* verifier.c */
/**
 * struct verityfs_verifier - scratch space for verifying one file's data
 * @vi: the file's verity state
 * @scratch: one Merkle block per tree level
 * @blocks: the hash path being checked, pointers into @scratch
 */
struct verityfs_verifier {
	struct verityfs_verity_info *vi;
	u8 *scratch;
	u8 *blocks[VERITYFS_CORE_MAX_LEVELS];
};

int verityfs_verifier_init(struct verityfs_verifier *vc, struct verityfs_verity_info *vi);
void verityfs_verifier_destroy(struct verityfs_verifier *vc);
int verityfs_verifier_check(struct inode *inode, struct verityfs_verifier *vc, u64 pos,
			    const void *data, size_t len);
void verityfs_verifier_check2(struct inode *inode, struct verityfs_verifier *vc,
			      u64 pos1, const void *data1, u64 pos2, const void *data2,
			      size_t len, int *err1, int *err2);
int verityfs_verifier_check_range(struct inode *inode, struct verityfs_verity_info *vi, u64 pos,
				  const void *data, size_t len);
void verityfs_verifier_prefetch(struct verityfs_verity_info *vi, u64 pos, u64 len);

/* measure.c */
int verityfs_measure_ioctl(struct verityfs_verity_info *vi, void __user *uarg);

/* read_metadata.c */
long verityfs_read_metadata_ioctl(struct verityfs_verity_info *vi, void __user *uarg);

/* sig.c */
bool verityfs_sig_required(const struct super_block *sb);
int verityfs_sig_check(const struct inode *inode, u32 hash_alg, const u8 *file_digest,
		       const u8 *sig, u32 sig_size);
int verityfs_sig_init(void);
void verityfs_sig_exit(void);

/* selftest.c: only in modules built with VERITYFS_SELFTEST=y, for the VM tests */
#ifdef VERITYFS_SELFTEST
void verityfs_selftest_run(void);
long verityfs_selftest_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
#else
static inline void verityfs_selftest_run(void)
{
}

static inline long verityfs_selftest_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}
#endif

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
bool verityfs_hcache_contains(struct verityfs_hcache *hc, unsigned long index);
void verityfs_hcache_insert(struct verityfs_hcache *hc, unsigned long index, const void *data);
unsigned long verityfs_hcache_usage(void);
int verityfs_hcache_init(void);
void verityfs_hcache_exit(void);

/* sysfs.c */
struct verityfs_sb_info;
int verityfs_sysfs_init(void);
void verityfs_sysfs_exit(void);
int verityfs_sysfs_mount_add(struct super_block *sb);
void verityfs_sysfs_mount_remove(struct verityfs_sb_info *sbi);

/* report.c */
void verityfs_report_corruption(struct inode *inode, u64 pos, unsigned int len);

/*
 * Stacking: objects shared by super.c, lower.c, dentry.c, inode.c, namei.c, file.c,
 * readdir.c and xattr.c.
 */

/* Names verityfs keeps for its metadata on the lower fs: never visible through the mount. */
#define VERITYFS_STORE_NAME	".verityfs"	/* hidden directory at the lower root */
#define VERITYFS_XATTR_NAME	"trusted.verityfs"	/* and any "trusted.verityfs.*" */

/* What a corrupted block does: mount option "errors=". */
enum verityfs_errors {
	VERITYFS_ERRORS_EIO,	/* the read fails with EIO (default, as upstream) */
	VERITYFS_ERRORS_PANIC,	/* the kernel panics, naming mount, inode and position */
};

/**
 * struct verityfs_mount_stats - per-mount counters, /sys/fs/verityfs/<dev>/
 * @files_opened: opens of verity files
 * @blocks_verified: Merkle blocks of file data that passed verification
 * @corruptions: Merkle blocks of file data (or their tree path) that failed
 * @sig_failures: verity files refused because of their signature
 */
struct verityfs_mount_stats {
	atomic_long_t files_opened;
	atomic_long_t blocks_verified;
	atomic_long_t corruptions;
	atomic_long_t sig_failures;
};

/**
 * struct verityfs_last_corruption - the latest corrupted block of a mount,
 *	/sys/fs/verityfs/<dev>/last_corruption/ (ext4's last_error_* for verity)
 * @lock: makes the three fields one record for writers and readers
 * @ino: inode number of the file, as stat() shows it through the mount
 * @pos: byte offset in the file of the Merkle block that failed
 * @time: wall-clock seconds since the epoch; 0 while there was none
 */
struct verityfs_last_corruption {
	spinlock_t lock;	/* the three fields below are one record */
	u64 ino;
	u64 pos;
	time64_t time;
};

/**
 * struct verityfs_sb_info - one mount
 * @lower_path: the lower directory the mount stacks on, as the mounter named
 *	it (referenced: shown in sysfs, and keeps the lower mount busy)
 * @lower_mnt: a private clone of that mount, without its atime flags, that
 *	every lower path of this mount uses: the verityfs mount's own flags
 *	decide about atime (overlayfs does the same for its layers)
 * @creds: the mounter's credentials, held from mount to kill_sb; every lower
 *	operation runs with them (override_creds() takes no reference on 6.14+)
 * @limited_creds: the same without CAP_SYS_RESOURCE and root's ids, for callers without it
 *	(verityfs_lower_override_creds())
 * @require_sigs: mount option "require_signatures": unsigned verity files are
 *	refused on this mount whatever the module default (read by sig.c)
 * @errors: mount option "errors=" (enum verityfs_errors); changed by remount,
 *	so read it once with READ_ONCE()
 * @stats: the counters shown in sysfs
 * @last_corruption: the latest corrupted block, shown in sysfs (report.c)
 * @kobj: /sys/fs/verityfs/<major>:<minor>, from the end of fill_super to
 *	kill_sb; its release completes @kobj_released, and kill_sb waits for
 *	that before it frees this structure
 * @kobj_released: see @kobj
 * @kobj_added: @kobj is in sysfs and kill_sb must remove it
 */
struct verityfs_sb_info {
	struct path lower_path;
	struct vfsmount *lower_mnt;
	const struct cred *creds;
	const struct cred *limited_creds;
	bool require_sigs;
	unsigned int errors;
	struct verityfs_mount_stats stats;
	struct verityfs_last_corruption last_corruption;
	struct kobject kobj;
	struct completion kobj_released;
	bool kobj_added;
};

/**
 * struct verityfs_inode - an upper inode
 * @lower_inode: the lower inode (referenced until eviction); one upper inode
 *	per lower inode, so hard links stay hard links
 * @verity: the verity state of a verity file once loaded, NULL before and
 *	for plain files; installed once (cmpxchg), freed with the inode
 * @flags: VERITYFS_IF_* bits
 * @seen_epoch: for a regular file, the enable epoch of its lower inode when
 *	its lower record was last read (open.c, verityfs_open_refresh())
 * @seen_ctime: and the lower inode's ctime then
 * @kverity_info: the kernel's fs-verity info of the inode, on kernels where
 *	fs/verity asks the filesystem for the slot (kverity.c); owned by fs/verity
 * @vfs_inode: the VFS inode; its own i_mapping stays unused for plain files
 *
 * Verity belongs to the inode: once VERITYFS_IF_VERITY is set every file
 * operation, on every open file of the inode, takes the verified path.
 */
struct verityfs_inode {
	struct inode *lower_inode;
	struct verityfs_verity_info *verity;
	unsigned long flags;
	unsigned int seen_epoch;
	struct timespec64 seen_ctime;
	struct fsverity_info *kverity_info;
	struct inode vfs_inode;
};

/* verityfs_inode.flags */
#define VERITYFS_IF_VERITY	0	/* a verity file (its record was seen) */
#define VERITYFS_IF_ENABLING	1	/* FS_IOC_ENABLE_VERITY is running */
#define VERITYFS_IF_SEEN	2	/* seen_epoch and seen_ctime are set */
#define VERITYFS_IF_KVERITY_REFUSED 3	/* fs/verity would not take it (logged once) */
#define VERITYFS_IF_KVERITY_UNFIT 4	/* nor ever will: not asked again */

/**
 * struct verityfs_dentry_info - an upper dentry
 * @lower_path: the lower dentry (positive or negative) and the lower mount
 * @rcu: frees the info after a grace period: RCU path walk reads it
 */
struct verityfs_dentry_info {
	struct path lower_path;
	struct rcu_head rcu;
};

#define VERITYFS_SB(sb)		((struct verityfs_sb_info *)(sb)->s_fs_info)
#define VERITYFS_I(inode)	container_of(inode, struct verityfs_inode, vfs_inode)
#define VERITYFS_E(dentry)	((struct verityfs_dentry_info *)(dentry)->d_fsdata)

/*
 * Per-mount counters. They are statistics, not synchronisation: relaxed
 * atomics, read by sysfs without any lock.
 */
/*
 * The load-time self-test (selftest.c) runs the verify path on shmem inodes,
 * which have no verityfs mount to count for or report to.
 */
static inline bool verityfs_sb_is_ours(const struct super_block *sb)
{
	return sb->s_type == &verityfs_fs_type;
}

static inline void verityfs_count_file_opened(struct super_block *sb)
{
	atomic_long_inc(&VERITYFS_SB(sb)->stats.files_opened);
}

static inline void verityfs_count_blocks_verified(struct super_block *sb, unsigned long n)
{
	if (verityfs_sb_is_ours(sb))
		atomic_long_add(n, &VERITYFS_SB(sb)->stats.blocks_verified);
}

/**
 * verityfs_count_sig_failure() - count a verity file refused for its signature
 * @sb: the verityfs super block of the file
 *
 * For the signature check: call once per refused open or enable (a bad or
 * untrusted signature, or a missing one under require_signatures), after the
 * decision. Never logs and never sleeps.
 */
static inline void verityfs_count_sig_failure(struct super_block *sb)
{
	if (verityfs_sb_is_ours(sb))
		atomic_long_inc(&VERITYFS_SB(sb)->stats.sig_failures);
}

static inline bool verityfs_inode_is_verity(struct inode *inode)
{
	return test_bit(VERITYFS_IF_VERITY, &VERITYFS_I(inode)->flags);
}

static inline struct inode *verityfs_lower_inode(const struct inode *inode)
{
	return VERITYFS_I(inode)->lower_inode;
}

static inline struct dentry *verityfs_lower_dentry(const struct dentry *dentry)
{
	return VERITYFS_E(dentry)->lower_path.dentry;
}

/* super.c (also) */
int verityfs_super_init(void);
void verityfs_super_exit(void);

/* dentry.c */
extern const struct dentry_operations verityfs_dentry_ops;
int verityfs_dentry_info_set(struct dentry *dentry, const struct path *lower_path);
int verityfs_dentry_cache_init(void);
void verityfs_dentry_cache_exit(void);

/* lower.c */
struct cred *verityfs_lower_prepare_limited_creds(void);
const struct cred *verityfs_lower_override_creds(struct super_block *sb);
const struct cred *verityfs_lower_override_mounter_creds(struct super_block *sb);
void verityfs_lower_revert_creds(const struct cred *old);
const struct cred *verityfs_lower_creator_creds(struct super_block *sb);
const struct cred *verityfs_lower_owner_creds(struct super_block *sb, const struct inode *owner);
int verityfs_lower_want_write(struct super_block *sb);
void verityfs_lower_drop_write(struct super_block *sb);

/* inode.c */
extern const struct inode_operations verityfs_inode_file_iops;
extern const struct inode_operations verityfs_inode_symlink_iops;
extern const struct inode_operations verityfs_inode_special_iops;
void verityfs_inode_copy_attr(struct inode *inode, struct inode *lower);
#if defined(HAVE_UPDATE_TIME_TYPE)
int verityfs_inode_update_time(struct inode *inode, enum fs_update_time type, unsigned int flags);
#elif defined(HAVE_UPDATE_TIME_TS)
int verityfs_inode_update_time(struct inode *inode, struct timespec64 *now, int flags);
#else
int verityfs_inode_update_time(struct inode *inode, int flags);
#endif
struct inode *verityfs_inode_get(struct super_block *sb, struct inode *lower);
int verityfs_inode_permission(VERITYFS_IDMAP_PARAM struct inode *inode, int mask);
int verityfs_inode_getattr(VERITYFS_IDMAP_PARAM const struct path *path, struct kstat *stat,
			   u32 mask, unsigned int flags);
int verityfs_inode_setattr(VERITYFS_IDMAP_PARAM struct dentry *dentry, struct iattr *attr);
#ifdef HAVE_ACL_DENTRY
struct posix_acl *verityfs_inode_get_acl(VERITYFS_IDMAP_PARAM struct dentry *dentry, int type);
int verityfs_inode_set_acl(VERITYFS_IDMAP_PARAM struct dentry *dentry, struct posix_acl *acl,
			   int type);
#endif

/* namei.c */
extern const struct inode_operations verityfs_namei_dir_iops;

/* file.c */
void verityfs_file_init(void);
const struct file_operations *verityfs_file_fops_for(const struct inode *lower);
bool verityfs_file_is_regular(const struct file *file);
extern const struct address_space_operations verityfs_file_aops;
struct file *verityfs_file_lower(const struct file *file);
int verityfs_file_open_lower(struct file *file);
int verityfs_file_release(struct inode *inode, struct file *file);
loff_t verityfs_file_llseek(struct file *file, loff_t offset, int whence);
int verityfs_file_fsync(struct file *file, loff_t start, loff_t end, int datasync);

/* ioctl.c */
long verityfs_ioctl_dispatch(struct file *file, unsigned int cmd, unsigned long arg);
long verityfs_ioctl_compat(struct file *file, unsigned int cmd, unsigned long arg);
#if defined(HAVE_FILEATTR) || defined(HAVE_FILE_KATTR)
int verityfs_ioctl_fileattr_get(struct dentry *dentry, verityfs_fileattr_t *fa);
int verityfs_ioctl_fileattr_set(VERITYFS_IDMAP_PARAM struct dentry *dentry,
				verityfs_fileattr_t *fa);
#endif

/* store.c */
/**
 * struct verityfs_store_ref - a verity file's object, found before an unlink
 * @id: the object's id
 * @name: its name in the store
 * @dir: the store holding it (referenced)
 */
struct verityfs_store_ref {
	u64 id;
	char name[17];
	struct dentry *dir;
};

bool verityfs_store_is_dir_name(const struct dentry *parent, const char *name, unsigned int len);
bool verityfs_store_is_record_xattr(const char *name);
struct file *verityfs_store_create(struct super_block *sb, struct inode *owner, u64 *id);
struct file *verityfs_store_reopen(struct super_block *sb, struct file *obj);
void verityfs_store_remove(struct super_block *sb, u64 id);
int verityfs_store_write_head(struct file *obj, u64 id, const void *desc, u32 desc_size,
			      loff_t tree_offset, u64 tree_size, u8 *digest);
int verityfs_store_commit(struct super_block *sb, struct dentry *lower, u64 data_size, u64 id,
			  const u8 *digest);
bool verityfs_store_is_verity(struct super_block *sb, struct dentry *lower);
bool verityfs_store_find(struct super_block *sb, struct dentry *lower,
			 struct verityfs_store_ref *ref);
void verityfs_store_put(struct super_block *sb, struct verityfs_store_ref *ref, bool remove);
int verityfs_store_chown(struct super_block *sb, struct dentry *lower, const struct iattr *attr);
struct verityfs_verity_info *verityfs_store_load(struct inode *inode, struct dentry *lower);
int verityfs_store_check_size(struct inode *inode, u64 data_size);

/* enable.c */
long verityfs_enable_ioctl(struct file *filp, void __user *uarg);
long verityfs_enable_from_tree_ioctl(struct file *filp, void __user *uarg);

/* read.c */
extern const struct address_space_operations verityfs_read_aops;
ssize_t verityfs_read_iter(struct kiocb *iocb, struct iov_iter *to);
ssize_t verityfs_read_splice(struct file *in, loff_t *ppos, struct pipe_inode_info *pipe,
			     size_t len, unsigned int flags);
int verityfs_read_init(void);
void verityfs_read_exit(void);

/* readdir.c */
extern const struct file_operations verityfs_readdir_fops;

/* xattr.c */
extern const struct xattr_handler *verityfs_xattr_handlers[];
ssize_t verityfs_xattr_list(struct dentry *dentry, char *list, size_t size);

#endif /* _VX_VERITYFS_H */
