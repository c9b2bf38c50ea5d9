// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: the hash-block cache, verified Merkle tree blocks kept in module
 * memory.
 *
 * A tree block is trusted only while it is in this cache: verification walks
 * up from a data block to the first cached ancestor (or the root hash) and
 * inserts every block it verified on the way down. Each verity inode owns an
 * index of its cached blocks; all blocks of all inodes share one LRU, bounded
 * by a global budget (the hash_cache_mb module parameter) and by a shrinker
 * under memory pressure. An evicted block is simply forgotten, so the next
 * read that needs it re-verifies it from its parent.
 *
 * Locking: verityfs_hcache_lock protects the LRU, the byte count and removal
 * from an inode's index; lookups take only rcu_read_lock(), because blocks
 * are freed after an RCU grace period and their bytes never change.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "verityfs.h"

static unsigned int hash_cache_mb = 64;
module_param(hash_cache_mb, uint, 0644);
MODULE_PARM_DESC(hash_cache_mb, "Most memory (MiB) kept for verified Merkle tree blocks (default 64)");

struct verityfs_hcache {
	struct xarray blocks;		/* tree block index -> struct hblock */
	unsigned int block_size;	/* bytes per tree block */
};

struct hblock {
	struct list_head lru;		/* on hcache_lru, under verityfs_hcache_lock */
	struct verityfs_hcache *owner;
	unsigned long index;		/* tree block index in the owner's file */
	struct rcu_head rcu;
	bool referenced;		/* hit since the shrinker last passed it */
	u8 *data;			/* owner->block_size verified bytes */
};

static DEFINE_SPINLOCK(verityfs_hcache_lock);
static LIST_HEAD(hcache_lru);		/* most recently inserted first */
static unsigned long hcache_nr;		/* blocks on hcache_lru */
static unsigned long hcache_bytes;	/* their size in bytes */
static struct shrinker *hcache_shrinker;

struct verityfs_hcache_stats verityfs_hcache_stats;

static struct kmem_cache *hblock_cache;

/*
 * The bytes are a separate allocation of exactly the block size (a power of
 * two, so kmalloc wastes nothing), the bookkeeping a small slab object: one
 * allocation of both would take twice the block size.
 */
static void hblock_free(struct hblock *b)
{
	kfree(b->data);
	kmem_cache_free(hblock_cache, b);
}

static void hblock_free_rcu(struct rcu_head *head)
{
	hblock_free(container_of(head, struct hblock, rcu));
}

/* Forget one block. Caller holds verityfs_hcache_lock. */
static void hblock_drop(struct hblock *b)
{
	lockdep_assert_held(&verityfs_hcache_lock);
	list_del(&b->lru);
	xa_erase(&b->owner->blocks, b->index);
	hcache_nr--;
	hcache_bytes -= b->owner->block_size;
	call_rcu(&b->rcu, hblock_free_rcu);
}

/*
 * Evict up to @nr blocks from the cold end of the LRU, giving blocks that
 * were hit since the last pass a second chance. Returns how many were freed.
 */
/*
 * Blocks looked at per hold of verityfs_hcache_lock: a budget lowered at
 * run time can make an eviction pass over millions of blocks, which must
 * not keep the lock (and the CPU) for the whole pass.
 */
#define HCACHE_EVICT_BATCH	64

static unsigned long hcache_evict(unsigned long nr, unsigned long max_bytes)
{
	unsigned long freed = 0, scanned = 0, limit, round;
	struct hblock *b;
	bool more = true;

	limit = 2 * READ_ONCE(hcache_nr);	/* each block is passed at most twice */
	while (more) {
		spin_lock(&verityfs_hcache_lock);
		for (round = 0; round < HCACHE_EVICT_BATCH; round++) {
			more = !list_empty(&hcache_lru) && freed < nr && scanned++ < limit &&
			       hcache_bytes > max_bytes;
			if (!more)
				break;
			b = list_last_entry(&hcache_lru, struct hblock, lru);
			if (READ_ONCE(b->referenced)) {
				WRITE_ONCE(b->referenced, false);
				list_move(&b->lru, &hcache_lru);
				continue;
			}
			hblock_drop(b);
			freed++;
		}
		spin_unlock(&verityfs_hcache_lock);
		if (more)
			cond_resched();
	}
	atomic_long_add(freed, &verityfs_hcache_stats.evictions);
	return freed;
}

static unsigned long hcache_count(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long nr = READ_ONCE(hcache_nr);

	return nr ? nr : SHRINK_EMPTY;
}

static unsigned long hcache_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long freed = hcache_evict(sc->nr_to_scan, 0);

	return freed ? freed : SHRINK_STOP;
}

/**
 * verityfs_hcache_alloc() - make an empty hash-block cache for one file
 * @block_size: the file's Merkle tree block size in bytes
 *
 * Return: the cache, or NULL when out of memory.
 */
struct verityfs_hcache *verityfs_hcache_alloc(unsigned int block_size)
{
	struct verityfs_hcache *hc = kzalloc(sizeof(*hc), GFP_KERNEL);

	if (!hc)
		return NULL;
	xa_init(&hc->blocks);
	hc->block_size = block_size;
	return hc;
}

/**
 * verityfs_hcache_free() - drop a file's cache and every block in it
 * @hc: the cache (NULL is allowed); nobody may use it concurrently
 */
void verityfs_hcache_free(struct verityfs_hcache *hc)
{
	struct hblock *b;
	unsigned long index;

	if (!hc)
		return;
	index = 0;
	do {
		unsigned long round = 0;

		spin_lock(&verityfs_hcache_lock);
		xa_for_each_start(&hc->blocks, index, b, index) {
			hblock_drop(b);
			if (++round == HCACHE_EVICT_BATCH)
				break;
		}
		spin_unlock(&verityfs_hcache_lock);
		cond_resched();
	} while (!xa_empty(&hc->blocks));
	xa_destroy(&hc->blocks);
	kfree(hc);
}

/**
 * verityfs_hcache_copy() - copy bytes out of a cached (verified) tree block
 * @hc: the file's cache
 * @index: tree block index
 * @offset: byte offset in the block
 * @out: destination
 * @len: bytes to copy; @offset + @len must not exceed the block size
 *
 * Return: true on a hit, with @out filled; false when the block is not cached
 * and must be read and verified from its parent.
 */
bool verityfs_hcache_copy(struct verityfs_hcache *hc, unsigned long index,
			  unsigned int offset, void *out, unsigned int len)
{
	struct hblock *b;
	bool hit = false;

	if (WARN_ON_ONCE(offset > hc->block_size || len > hc->block_size - offset))
		return false;
	rcu_read_lock();
	b = xa_load(&hc->blocks, index);
	if (b) {
		memcpy(out, b->data + offset, len);
		if (!READ_ONCE(b->referenced))
			WRITE_ONCE(b->referenced, true);
		hit = true;
	}
	rcu_read_unlock();
	atomic_long_inc(hit ? &verityfs_hcache_stats.hits : &verityfs_hcache_stats.misses);
	return hit;
}

/**
 * verityfs_hcache_contains() - whether a tree block is cached, for prefetching
 * @hc: the file's cache
 * @index: tree block index
 *
 * Neither counted as a hit or miss nor marked referenced: only a hint.
 *
 * Return: true when the block is cached now.
 */
bool verityfs_hcache_contains(struct verityfs_hcache *hc, unsigned long index)
{
	bool ret;

	rcu_read_lock();
	ret = !!xa_load(&hc->blocks, index);
	rcu_read_unlock();
	return ret;
}

/**
 * verityfs_hcache_insert() - remember a tree block that was just verified
 * @hc: the file's cache
 * @index: tree block index
 * @data: the block's verified bytes (hc's block size)
 *
 * A failed allocation is not an error: the block will be verified again the
 * next time it is needed.
 */
void verityfs_hcache_insert(struct verityfs_hcache *hc, unsigned long index, const void *data)
{
	unsigned long budget = (unsigned long)READ_ONCE(hash_cache_mb) << 20;
	struct hblock *b;

	b = kmem_cache_alloc(hblock_cache, GFP_NOFS | __GFP_NOWARN);
	if (!b)
		return;
	b->data = kmalloc(hc->block_size, GFP_NOFS | __GFP_NOWARN);
	if (!b->data) {
		kmem_cache_free(hblock_cache, b);
		return;
	}
	memcpy(b->data, data, hc->block_size);
	b->owner = hc;
	b->index = index;
	b->referenced = false;
	/* -EBUSY: a concurrent reader cached the same block first. */
	if (xa_insert(&hc->blocks, index, b, GFP_NOFS)) {
		hblock_free(b);
		return;
	}
	spin_lock(&verityfs_hcache_lock);
	list_add(&b->lru, &hcache_lru);
	hcache_nr++;
	hcache_bytes += hc->block_size;
	spin_unlock(&verityfs_hcache_lock);

	if (READ_ONCE(hcache_bytes) > budget)
		hcache_evict(ULONG_MAX, budget);
}

/**
 * verityfs_hcache_usage() - bytes currently held by the cache, all files
 *
 * Return: the number of bytes of cached tree blocks.
 */
unsigned long verityfs_hcache_usage(void)
{
	return READ_ONCE(hcache_bytes);
}

/**
 * verityfs_hcache_init() - register the cache's shrinker at module load
 *
 * Return: 0, or -ENOMEM.
 */
int verityfs_hcache_init(void)
{
	hblock_cache = KMEM_CACHE(hblock, SLAB_RECLAIM_ACCOUNT);
	if (!hblock_cache)
		return -ENOMEM;
	hcache_shrinker = verityfs_compat_shrinker_create("verityfs-hash-cache", hcache_count,
							  hcache_scan, NULL);
	if (!hcache_shrinker) {
		kmem_cache_destroy(hblock_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * verityfs_hcache_exit() - unregister the shrinker at module unload
 *
 * Every per-file cache is gone by then (all inodes were evicted); the RCU
 * barrier waits for the frees still in flight.
 */
void verityfs_hcache_exit(void)
{
	verityfs_compat_shrinker_destroy(hcache_shrinker);
	WARN_ON_ONCE(!list_empty(&hcache_lru));
	rcu_barrier();
	kmem_cache_destroy(hblock_cache);
}
