// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: the kernel's hashing behind the portable core's hash ops table.
 *
 * crypto_shash exists with the same calls on every kernel we build for
 * (5.10 .. 7.x), and "sha256"/"sha512" resolve to the fastest registered
 * driver (SHA-NI, AVX2, ARMv8 CE). The salted state is kept in the
 * exported form, so no assumption is made about a driver's descriptor.
 *
 * Where the kernel has sha256_finup_2x() (6.18+), SHA-256 uses the SHA-256
 * library directly, as native fs-verity does, and its ops table gets the
 * core's two-block slot: data blocks are then hashed two at a time, which
 * CPUs with SHA-NI or ARMv8 CE interleave (compat/crypto.h). The module
 * parameter hash_2way switches the pairing off, to measure it.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/err.h>
#include <linux/workqueue.h>
#include <crypto/hash.h>

#include "hash.h"

static bool hash_2way = true;
module_param(hash_2way, bool, 0644);
MODULE_PARM_DESC(hash_2way, "Hash SHA-256 data blocks two at a time with the kernel's sha256_finup_2x() (6.18+; default Y)");

struct hash_part;

/**
 * struct verityfs_hash - one algorithm's backend
 * @core: what the core sees; for crypto_shash, priv is the tfm
 * @name: the crypto API's name of the algorithm
 * @lib_ops: the library's ops table, used instead of crypto_shash (or NULL)
 * @lib_state_size: bytes of the library's context
 * @run_part: hashes one part of a hash_blocks call (see below)
 */
struct verityfs_hash {
	struct verityfs_core_hash core;
	const char *name;
	const struct verityfs_core_hash_ops *lib_ops;
	unsigned int lib_state_size;
	int (*run_part)(struct hash_part *hp);
};

static int shash_run_part(struct hash_part *hp);
#ifdef HAVE_SHA256_FINUP_2X
static const struct verityfs_core_hash_ops verityfs_hash_sha256_lib_ops;
static int lib_run_part(struct hash_part *hp);
#endif

static struct verityfs_hash verityfs_hash_algs[] = {
	{ .core.alg = VERITYFS_CORE_HASH_ALG_SHA256, .name = "sha256",
#ifdef HAVE_SHA256_FINUP_2X
	  .lib_ops = &verityfs_hash_sha256_lib_ops,
	  .lib_state_size = sizeof(struct sha256_ctx),
	  .run_part = lib_run_part,
#else
	  .run_part = shash_run_part,
#endif
	},
	{ .core.alg = VERITYFS_CORE_HASH_ALG_SHA512, .name = "sha512",
	  .run_part = shash_run_part },
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

/* One part through crypto_shash: import the salted state, finup a block. */
static int shash_run_part(struct hash_part *hp)
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

static int hash_part_run(struct hash_part *hp)
{
	return container_of(hp->h, struct verityfs_hash, core)->run_part(hp);
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
	unsigned int ds = verityfs_core_hash_digest_size(h->alg);
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

#ifdef HAVE_SHA256_FINUP_2X
/*
 * SHA-256 through the library: the state is a struct sha256_ctx, plain
 * memory, so the core copies the salted one (no export/import).
 */
static int lib_sha256_init(const struct verityfs_core_hash *h, void *state)
{
	sha256_init(state);
	return 0;
}

static int lib_sha256_update(const struct verityfs_core_hash *h, void *state,
			     const void *data, size_t len)
{
	sha256_update(state, data, len);
	return 0;
}

static int lib_sha256_final(const struct verityfs_core_hash *h, void *state, u8 *out)
{
	sha256_final(state, out);
	return 0;
}

static void lib_sha256_one(const struct sha256_ctx *saved, const void *data, size_t len,
			   u8 *out)
{
	struct sha256_ctx ctx = *saved;

	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}

/* Two blocks at once, or one after the other with hash_2way off. */
static int lib_sha256_finup2(const struct verityfs_core_hash *h, const void *saved,
			     const void *data1, const void *data2, size_t len,
			     u8 *out1, u8 *out2)
{
	if (READ_ONCE(hash_2way)) {
		sha256_finup_2x(saved, data1, data2, len, out1, out2);
	} else {
		lib_sha256_one(saved, data1, len, out1);
		lib_sha256_one(saved, data2, len, out2);
	}
	return 0;
}

static int lib_run_part(struct hash_part *hp)
{
	unsigned int i;

	for (i = 0; i + 1 < hp->n; i += 2)
		lib_sha256_finup2(hp->h, hp->saved, hp->data + (size_t)i * hp->len,
				  hp->data + (size_t)(i + 1) * hp->len, hp->len,
				  hp->out + (size_t)i * SHA256_DIGEST_SIZE,
				  hp->out + (size_t)(i + 1) * SHA256_DIGEST_SIZE);
	if (i < hp->n)
		lib_sha256_one(hp->saved, hp->data + (size_t)i * hp->len, hp->len,
			       hp->out + (size_t)i * SHA256_DIGEST_SIZE);
	return 0;
}

static const struct verityfs_core_hash_ops verityfs_hash_sha256_lib_ops = {
	.init = lib_sha256_init,
	.update = lib_sha256_update,
	.final = lib_sha256_final,
	.finup2 = lib_sha256_finup2,
	.hash_blocks = verityfs_hash_blocks_op,
};
#endif /* HAVE_SHA256_FINUP_2X */

/* "sha256: lib, 2-way interleaved" or "sha512: shash sha512-avx2": for the benchmark. */
static int hash_info_get(char *buf, const struct kernel_param *kp)
{
	unsigned int i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(verityfs_hash_algs); i++) {
		const struct verityfs_hash *vh = &verityfs_hash_algs[i];
		/* Pairs with the release in verityfs_hash_get(): sizes before ops. */
		const struct verityfs_core_hash_ops *ops = smp_load_acquire(&vh->core.ops);

		if (!ops)
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s: unused\n", vh->name);
		else if (vh->lib_ops)
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s: lib, 2-way %s\n", vh->name,
				       !READ_ONCE(hash_2way) ? "off" :
				       verityfs_compat_sha256_2x_optimized() ? "interleaved" :
				       "sequential (not optimized on this CPU)");
		else
			n += scnprintf(buf + n, PAGE_SIZE - n, "%s: shash %s\n", vh->name,
				       crypto_shash_driver_name(vh->core.priv));
	}
	return n;
}

static const struct kernel_param_ops hash_info_ops = {
	.get = hash_info_get,
};
module_param_cb(hash_info, &hash_info_ops, NULL, 0444);
MODULE_PARM_DESC(hash_info, "How each algorithm in use is hashed (read-only)");

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
	if (vh->lib_ops) {
		vh->core.state_size = vh->lib_state_size;
		vh->core.export_size = vh->lib_state_size;
		/* Readers that see ops see the sizes: the acquires above and in hash_info_get(). */
		smp_store_release(&vh->core.ops, vh->lib_ops);
		goto out;
	}
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

		if (vh->core.ops && !vh->lib_ops)
			crypto_free_shash(vh->core.priv);
		vh->core.ops = NULL;
		vh->core.priv = NULL;
	}
}
