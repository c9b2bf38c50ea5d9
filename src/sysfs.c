// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: /sys/fs/verityfs, feature flags and statistics.
 *
 *   features/verity        "supported" (xfstests' _require_scratch_verity looks for it)
 *   hash_cache/hits        tree block lookups served from the hash-block cache
 *   hash_cache/misses      lookups that had to read and verify the block
 *   hash_cache/evictions   blocks dropped by the budget or the shrinker
 *   hash_cache/verified_blocks  data and tree blocks verified
 *   hash_cache/failures    blocks that failed verification
 *   hash_cache/bytes       memory held by cached tree blocks now
 *
 * and one directory per mount, named after the mount's anonymous device
 * (the "major:minor" of /proc/self/mountinfo and of `mountpoint -d MNT`,
 * also the name in the mount's log lines):
 *
 *   <major>:<minor>/files_opened     opens of verity files
 *   <major>:<minor>/blocks_verified  Merkle blocks of file data verified
 *   <major>:<minor>/corruptions      Merkle blocks of file data that failed
 *   <major>:<minor>/sig_failures     verity files refused for their signature
 *   <major>:<minor>/errors           the errors= mount option in force
 *   <major>:<minor>/lower            the lower directory
 *   <major>:<minor>/last_corruption/inode  inode number of the latest corrupted block's file
 *   <major>:<minor>/last_corruption/pos    its byte offset (start of the Merkle block)
 *   <major>:<minor>/last_corruption/time   when, in seconds since the epoch; 0: never
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/dcache.h>
#include <linux/kobject.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "verityfs.h"

static struct kobject *verityfs_kobj;
static struct kobject *features_kobj;

static ssize_t verity_feature_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "supported\n");
}

static struct kobj_attribute verity_feature_attr = __ATTR(verity, 0444, verity_feature_show, NULL);

static struct attribute *feature_attrs[] = {
	&verity_feature_attr.attr,
	NULL,
};

static const struct attribute_group feature_group = {
	.attrs = feature_attrs,
};

#define HCACHE_COUNTER(field)							\
static ssize_t field##_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf) \
{										\
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&verityfs_hcache_stats.field)); \
}										\
static struct kobj_attribute field##_attr = __ATTR_RO(field)

HCACHE_COUNTER(hits);
HCACHE_COUNTER(misses);
HCACHE_COUNTER(evictions);
HCACHE_COUNTER(verified_blocks);
HCACHE_COUNTER(failures);

static ssize_t bytes_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", verityfs_hcache_usage());
}

static struct kobj_attribute bytes_attr = __ATTR_RO(bytes);

static struct attribute *hcache_attrs[] = {
	&hits_attr.attr,
	&misses_attr.attr,
	&evictions_attr.attr,
	&verified_blocks_attr.attr,
	&failures_attr.attr,
	&bytes_attr.attr,
	NULL,
};

static const struct attribute_group hcache_group = {
	.name = "hash_cache",
	.attrs = hcache_attrs,
};

/*
 * Per mount. The kobject lives in struct verityfs_sb_info. Removing it from
 * sysfs (kobject_del) waits for every running show() and refuses new ones,
 * so after that nothing reads the counters; kill_sb then drops the last
 * reference and waits for the release before it frees the structure.
 */
static struct verityfs_sb_info *kobj_to_sbi(struct kobject *kobj)
{
	return container_of(kobj, struct verityfs_sb_info, kobj);
}

#define MOUNT_COUNTER(field)							\
static ssize_t mount_##field##_show(struct kobject *kobj, struct kobj_attribute *attr, \
				    char *buf)					\
{										\
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&kobj_to_sbi(kobj)->stats.field)); \
}										\
static struct kobj_attribute mount_##field##_attr = __ATTR(field, 0444, mount_##field##_show, NULL)

MOUNT_COUNTER(files_opened);
MOUNT_COUNTER(blocks_verified);
MOUNT_COUNTER(corruptions);
MOUNT_COUNTER(sig_failures);

static ssize_t mount_errors_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	bool panic = READ_ONCE(kobj_to_sbi(kobj)->errors) == VERITYFS_ERRORS_PANIC;

	return sysfs_emit(buf, "%s\n", panic ? "panic" : "eio");
}

static struct kobj_attribute mount_errors_attr = __ATTR(errors, 0444, mount_errors_show, NULL);

static ssize_t mount_lower_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	char *tmp, *p;
	ssize_t ret;

	tmp = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	p = d_path(&kobj_to_sbi(kobj)->lower_path, tmp, PATH_MAX);
	ret = IS_ERR(p) ? PTR_ERR(p) : sysfs_emit(buf, "%s\n", p);
	kfree(tmp);
	return ret;
}

static struct kobj_attribute mount_lower_attr = __ATTR(lower, 0444, mount_lower_show, NULL);

static struct attribute *mount_attrs[] = {
	&mount_files_opened_attr.attr,
	&mount_blocks_verified_attr.attr,
	&mount_corruptions_attr.attr,
	&mount_sig_failures_attr.attr,
	&mount_errors_attr.attr,
	&mount_lower_attr.attr,
	NULL,
};

static const struct attribute_group mount_group = {
	.attrs = mount_attrs,
};

/*
 * The mount's latest corruption (report.c), like ext4's last_error_*. Each
 * file shows one field of the record as it is at the read; a reader that
 * wants the three of one corruption reads time before and after the others.
 */
enum last_corruption_field { LAST_INO, LAST_POS, LAST_TIME };

static ssize_t show_last_corruption(struct kobject *kobj, char *buf,
				    enum last_corruption_field field)
{
	struct verityfs_last_corruption *last = &kobj_to_sbi(kobj)->last_corruption;
	u64 val;

	spin_lock(&last->lock);
	switch (field) {
	case LAST_INO:
		val = last->ino;
		break;
	case LAST_POS:
		val = last->pos;
		break;
	default:
		val = last->time;
		break;
	}
	spin_unlock(&last->lock);
	return sysfs_emit(buf, "%llu\n", val);
}

#define LAST_CORRUPTION_ATTR(name, field)						\
static ssize_t last_##name##_show(struct kobject *kobj, struct kobj_attribute *attr,	\
				  char *buf)						\
{											\
	return show_last_corruption(kobj, buf, field);					\
}											\
static struct kobj_attribute last_##name##_attr = __ATTR(name, 0444, last_##name##_show, NULL)

LAST_CORRUPTION_ATTR(inode, LAST_INO);
LAST_CORRUPTION_ATTR(pos, LAST_POS);
LAST_CORRUPTION_ATTR(time, LAST_TIME);

static struct attribute *last_corruption_attrs[] = {
	&last_inode_attr.attr,
	&last_pos_attr.attr,
	&last_time_attr.attr,
	NULL,
};

static const struct attribute_group last_corruption_group = {
	.name = "last_corruption",
	.attrs = last_corruption_attrs,
};

static const struct attribute_group *mount_groups[] = {
	&mount_group,
	&last_corruption_group,
	NULL,
};

static void mount_kobj_release(struct kobject *kobj)
{
	complete(&kobj_to_sbi(kobj)->kobj_released);
}

static struct kobj_type mount_ktype = {
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= mount_groups,
	.release	= mount_kobj_release,
};

/**
 * verityfs_sysfs_mount_add() - create /sys/fs/verityfs/<major>:<minor>
 * @sb: the new verityfs super block; s_dev and s_fs_info are set
 *
 * On success kill_sb must call verityfs_sysfs_mount_remove() before the
 * anonymous device number is released (a new mount could get it again).
 *
 * Return: 0, or the error of kobject_init_and_add() (-EEXIST, -ENOMEM).
 */
int verityfs_sysfs_mount_add(struct super_block *sb)
{
	struct verityfs_sb_info *sbi = VERITYFS_SB(sb);
	int err;

	init_completion(&sbi->kobj_released);
	err = kobject_init_and_add(&sbi->kobj, &mount_ktype, verityfs_kobj, "%u:%u",
				   MAJOR(sb->s_dev), MINOR(sb->s_dev));
	if (err) {
		kobject_put(&sbi->kobj);
		wait_for_completion(&sbi->kobj_released);
		return err;
	}
	sbi->kobj_added = true;
	return 0;
}

/**
 * verityfs_sysfs_mount_remove() - remove a mount's directory, wait for readers
 * @sbi: the mount; nothing is done if its directory was never added
 *
 * On return no attribute of the mount is being read or can be read again,
 * and the kobject is released: @sbi may be freed.
 */
void verityfs_sysfs_mount_remove(struct verityfs_sb_info *sbi)
{
	if (!sbi->kobj_added)
		return;
	sbi->kobj_added = false;
	kobject_del(&sbi->kobj);
	kobject_put(&sbi->kobj);
	wait_for_completion(&sbi->kobj_released);
}

/**
 * verityfs_sysfs_init() - create /sys/fs/verityfs at module load
 *
 * Return: 0, -ENOMEM, or the error of sysfs_create_group().
 */
int verityfs_sysfs_init(void)
{
	int err = -ENOMEM;

	verityfs_kobj = kobject_create_and_add(VERITYFS_NAME, fs_kobj);
	if (!verityfs_kobj)
		return -ENOMEM;
	features_kobj = kobject_create_and_add("features", verityfs_kobj);
	if (!features_kobj)
		goto err_put_root;
	err = sysfs_create_group(features_kobj, &feature_group);
	if (err)
		goto err_put_features;
	err = sysfs_create_group(verityfs_kobj, &hcache_group);
	if (err)
		goto err_remove_features;
	return 0;

err_remove_features:
	sysfs_remove_group(features_kobj, &feature_group);
err_put_features:
	kobject_put(features_kobj);
err_put_root:
	kobject_put(verityfs_kobj);
	return err;
}

/**
 * verityfs_sysfs_exit() - remove /sys/fs/verityfs at module unload
 */
void verityfs_sysfs_exit(void)
{
	sysfs_remove_group(verityfs_kobj, &hcache_group);
	sysfs_remove_group(features_kobj, &feature_group);
	kobject_put(features_kobj);
	kobject_put(verityfs_kobj);
}
