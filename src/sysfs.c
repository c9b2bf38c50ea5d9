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
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/kobject.h>
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
