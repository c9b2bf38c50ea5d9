// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: crypto_shash behind the portable core's hash ops table.
 *
 * crypto_shash exists with the same calls on every kernel we build for
 * (5.10 .. 7.x), and "sha256"/"sha512" resolve to the fastest registered
 * driver (SHA-NI, AVX2, ARMv8 CE). The salted state is kept in the
 * exported form, so no assumption is made about a driver's descriptor.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/err.h>
#include <linux/workqueue.h>
#include <crypto/hash.h>

#include "hash.h"

struct verityfs_hash {
	struct verityfs_core_hash core;	/* what the core sees; priv = tfm */
	const char *name;
};

static struct verityfs_hash verityfs_hash_algs[] = {
	{ .core.alg = VERITYFS_CORE_HASH_ALG_SHA256, .name = "sha256" },
	{ .core.alg = VERITYFS_CORE_HASH_ALG_SHA512, .name = "sha512" },
};

/* Serialises first-use allocation; readers go lock-free after publication. */
static DEFINE_MUTEX(verityfs_hash_mutex);

/*
 * The core hands us 8-byte aligned state; a shash_desc may want more on some
 * architectures, so the descriptor sits at the first aligned address.
 */
static struct shash_desc *verityfs_hash_desc(const struct verityfs_core_hash *h,
					     void *state)
{
	struct shash_desc *desc = PTR_ALIGN(state, __alignof__(struct shash_desc));

	desc->tfm = h->priv;
	return desc;
}

static int verityfs_hash_init_op(const struct verityfs_core_hash *h, void *state)
{
	return crypto_shash_init(verityfs_hash_desc(h, state));
}

static int verityfs_hash_update_op(const struct verityfs_core_hash *h, void *state,
				   const void *data, size_t len)
{
	struct shash_desc *desc = PTR_ALIGN(state, __alignof__(struct shash_desc));

	return crypto_shash_update(desc, data, len);
}

static int verityfs_hash_final_op(const struct verityfs_core_hash *h, void *state,
				  u8 *out)
{
	struct shash_desc *desc = PTR_ALIGN(state, __alignof__(struct shash_desc));

	return crypto_shash_final(desc, out);
}

static int verityfs_hash_export_op(const struct verityfs_core_hash *h,
				   const void *state, void *out)
{
	struct shash_desc *desc = PTR_ALIGN((void *)state,
					    __alignof__(struct shash_desc));

	return crypto_shash_export(desc, out);
}

static int verityfs_hash_import_op(const struct verityfs_core_hash *h, void *state,
				   const void *in)
{
	return crypto_shash_import(verityfs_hash_desc(h, state), in);
}

/* Blocks of one part of a hash_blocks call; fewer are not worth a CPU. */
#define HASH_PART_MIN_BLOCKS	8
#define HASH_MAX_PARTS		4

struct hash_part {
	struct work_struct work;
	const struct verityfs_core_hash *h;
	const void *saved;
	const u8 *data;
	size_t len;
	unsigned int n;
	u8 *out;
	int err;
};

static int hash_part_run(struct hash_part *hp)
{
	u64 state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
	struct shash_desc *desc = verityfs_hash_desc(hp->h, state);
	unsigned int ds = crypto_shash_digestsize(desc->tfm);
	unsigned int i;
	int err = 0;

	for (i = 0; i < hp->n && !err; i++) {
		err = crypto_shash_import(desc, hp->saved);
		if (!err)
			err = crypto_shash_finup(desc, hp->data + (size_t)i * hp->len, hp->len,
						 hp->out + (size_t)i * ds);
	}
	return err;
}

static void hash_part_work(struct work_struct *work)
{
	struct hash_part *hp = container_of(work, struct hash_part, work);

	hp->err = hash_part_run(hp);
}

/*
 * Building a tree hashes every data block of the file in one call after
 * another: split each run into parts, hash all but one on other CPUs and
 * the last one here, so that enabling a large file uses every CPU.
 */
static int verityfs_hash_blocks_op(const struct verityfs_core_hash *h, const void *saved,
				   const void *data, size_t len, unsigned int n, u8 *out)
{
	struct hash_part parts[HASH_MAX_PARTS];
	unsigned int nparts = min3(num_online_cpus(), (unsigned int)HASH_MAX_PARTS,
				   max(n / HASH_PART_MIN_BLOCKS, 1U));
	unsigned int ds = crypto_shash_digestsize(h->priv);
	unsigned int i, first = 0;
	int err;

	for (i = 0; i < nparts; i++) {
		struct hash_part *hp = &parts[i];
		unsigned int count = (n - first) / (nparts - i);

		hp->h = h;
		hp->saved = saved;
		hp->data = (const u8 *)data + (size_t)first * len;
		hp->len = len;
		hp->n = count;
		hp->out = out + (size_t)first * ds;
		first += count;
		if (i + 1 < nparts) {
			INIT_WORK_ONSTACK(&hp->work, hash_part_work);
			queue_work(system_dfl_wq, &hp->work);
		}
	}
	err = hash_part_run(&parts[nparts - 1]);
	for (i = 0; i + 1 < nparts; i++) {
		flush_work(&parts[i].work);
		destroy_work_on_stack(&parts[i].work);
		if (!err)
			err = parts[i].err;
	}
	return err;
}

static const struct verityfs_core_hash_ops verityfs_hash_ops = {
	.init = verityfs_hash_init_op,
	.update = verityfs_hash_update_op,
	.final = verityfs_hash_final_op,
	.export = verityfs_hash_export_op,
	.import = verityfs_hash_import_op,
	.hash_blocks = verityfs_hash_blocks_op,
};

static struct verityfs_hash *verityfs_hash_lookup(u32 alg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(verityfs_hash_algs); i++)
		if (verityfs_hash_algs[i].core.alg == alg)
			return &verityfs_hash_algs[i];
	return NULL;
}

const struct verityfs_core_hash *verityfs_hash_get(u32 alg)
{
	struct verityfs_hash *vh = verityfs_hash_lookup(alg);
	struct crypto_shash *tfm;
	size_t state_size;

	if (!vh)
		return NULL;
	/* Pairs with smp_store_release() below: ops and sizes are visible. */
	if (smp_load_acquire(&vh->core.ops))
		return &vh->core;

	mutex_lock(&verityfs_hash_mutex);
	if (vh->core.ops)
		goto out;
	tfm = crypto_alloc_shash(vh->name, 0, 0);
	if (IS_ERR(tfm)) {
		pr_warn("%s unavailable (%pe)\n", vh->name, tfm);
		goto out;
	}
	state_size = sizeof(struct shash_desc) + crypto_shash_descsize(tfm) +
		     __alignof__(struct shash_desc) - 1;
	if (state_size > VERITYFS_CORE_HASH_STATE_SIZE ||
	    crypto_shash_statesize(tfm) > VERITYFS_CORE_HASH_STATE_SIZE) {
		/* A driver with a huge context; the core's buffers cannot hold it. */
		pr_warn("%s (%s): state too large for the core\n", vh->name,
			crypto_shash_driver_name(tfm));
		crypto_free_shash(tfm);
		goto out;
	}
	pr_debug("%s using %s\n", vh->name, crypto_shash_driver_name(tfm));
	vh->core.priv = tfm;
	vh->core.state_size = state_size;
	vh->core.export_size = crypto_shash_statesize(tfm);
	/* Publishes the fields above; pairs with the acquire of lock-free readers. */
	smp_store_release(&vh->core.ops, &verityfs_hash_ops);
out:
	mutex_unlock(&verityfs_hash_mutex);
	return vh->core.ops ? &vh->core : NULL;
}

void verityfs_hash_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(verityfs_hash_algs); i++) {
		struct verityfs_hash *vh = &verityfs_hash_algs[i];

		if (vh->core.ops)
			crypto_free_shash(vh->core.priv);
		vh->core.ops = NULL;
		vh->core.priv = NULL;
	}
}
