// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: load-time self-tests of the verity path inside the kernel
 * (built only with VERITYFS_SELFTEST=y, for the VM test suite).
 *
 * The host tests prove the portable core against libfsverity; these prove
 * the kernel half: the crypto_shash backend, the descriptor and file digest,
 * the hash-block cache and block verification, on every target kernel. Each
 * vector builds a Merkle tree in a shmem file and must give the digest the
 * stock `fsverity digest` gives for the same bytes; then every block must
 * verify, twice (the second time from the cache), and flipped bytes in the
 * data and in the tree must be caught. Results are printed one line each:
 * "selftest: ok - ..." or "selftest: not ok - ...".
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fsverity.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "verityfs.h"
#include "hash.h"

struct selftest_vector {
	const char *name;
	u32 alg;
	u32 log_blocksize;
	const char *salt;	/* bytes, may be NULL */
	u32 salt_size;
	u64 size;
	bool pattern;		/* else all zeros */
	const char *digest;	/* `fsverity digest` of the same bytes */
};

/*
 * Zero files are xfstests generic/575's golden vectors; the patterned file is
 * byte i = ((i * 31 + (i >> 8) * 7) ^ (i >> 13)) & 0xff, digested on the host
 * with `fsverity digest --hash-alg=A --block-size=B [--salt=S]`.
 */
static const struct selftest_vector vectors[] = {
	{ "sha256 1K 4096 zeros", 1, 10, NULL, 0, 4096, false,
	  "ea08590a4fe9c3d6c9dafe0eedacd9dffff8f24e24f1865ee3af132a495ab087" },
	{ "sha256 4K 65536 zeros", 1, 12, NULL, 0, 65536, false,
	  "011e3f2b1dc89b75d78cddcc2a1b85cd8a64b2883e5f20f277ae4c0617e0404f" },
	{
	  "sha512 1K 65536 zeros", 2, 10, NULL, 0, 65536, false,
	  "e6a11353c24dd7b4603cb8ffa50a7041dbea7382d4698474ccbc2d8b34f3a83d8bf16df25c64ed31ee27213a8a3cbd001fb1ccde46384c23b81305c2393c1046",
	},
	{
	  "sha512 4K 4096 zeros", 2, 12, NULL, 0, 4096, false,
	  "928922686c4caf32175f5236a7f964e9925d10a74dc6d8344a8bd08b23c228ff5792573987d7895f628f39c4f4ebe39a7367d7aeb16aaa0cd324ac1d53664e61",
	},
	{
	  "sha512 1K salted 300001 pattern (3 levels)", 2, 10, "\xab\xcd", 2, 300001, true,
	  "f642c7c689418fe373bead20e523841549dbcd072b9f296c1efba66aa0f363b2ac5a002f5276cf2ab8f144b9f8c448356285f2fe26d9f7446590287519f1c662",
	},
	{ "sha256 4K 300001 pattern", 1, 12, NULL, 0, 300001, true,
	  "96a676d170e51c97450e0f93cdd220105385125a6da771cc2d1e285220cf2aa4" },
	{ "sha256 1K 32-byte salt 300001 pattern", 1, 10,
	  "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x10\x11\x12\x13\x14\x15\x16"
	  "\x17\x18\x19\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x30\x31\x32", 32, 300001, true,
	  "8be14106aff58ea6f2343e174d0f85070de65f22211c219574580d0c76874bc1" },
};

static unsigned int selftest_passed, selftest_failed;

static void report(bool ok, const char *vec, const char *what)
{
	if (ok) {
		selftest_passed++;
		pr_info("selftest: ok - %s: %s\n", vec, what);
	} else {
		selftest_failed++;
		pr_err("selftest: not ok - %s: %s\n", vec, what);
	}
}

static int read_from_buffer(void *ctx, u64 pos, void *buf, size_t len)
{
	memcpy(buf, (const u8 *)ctx + pos, len);
	return 0;
}

struct tree_sink {
	struct file *file;
	unsigned int block_size;
};

static int sink_to_file(void *ctx, unsigned int level, u64 index, const void *block)
{
	struct tree_sink *s = ctx;
	loff_t pos = index * s->block_size;

	return kernel_write(s->file, block, s->block_size, &pos) == s->block_size ? 0 : -EIO;
}

static bool flip_tree_byte(struct file *tree, loff_t pos)
{
	u8 b;
	loff_t p = pos;

	if (kernel_read(tree, &b, 1, &p) != 1)
		return false;
	b ^= 0x5a;
	p = pos;
	return kernel_write(tree, &b, 1, &p) == 1;
}

static void run_vector(const struct selftest_vector *v)
{
	struct verityfs_core_params *p = NULL;
	struct file *data_file = NULL, *tree_file = NULL;
	struct verityfs_verity_info *vi = NULL;
	struct inode *in;
	u8 root[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 desc[VERITYFS_CORE_DESC_SIZE];
	char hex[2 * VERITYFS_CORE_MAX_DIGEST_SIZE + 1];
	struct tree_sink sink;
	size_t len, ws_size;
	void *ws = NULL;
	long hits;
	u8 *data;
	u64 i;
	int err;

	len = round_up(max_t(u64, v->size, 1), PAGE_SIZE);
	data = kvzalloc(len, GFP_KERNEL);
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!data || !p) {
		report(false, v->name, "allocate");
		goto out;
	}
	for (i = 0; v->pattern && i < v->size; i++)
		data[i] = ((i * 31 + (i >> 8) * 7) ^ (i >> 13)) & 0xff;

	err = verityfs_core_init_params(p, verityfs_hash_get(v->alg), v->alg, v->log_blocksize,
					(const u8 *)v->salt, v->salt_size, v->size);
	if (err) {
		report(false, v->name, "tree geometry");
		goto out;
	}
	data_file = verityfs_compat_shmem_file_setup("verityfs-selftest-data", v->size);
	tree_file = verityfs_compat_shmem_file_setup("verityfs-selftest-tree", 0);
	if (IS_ERR(data_file) || IS_ERR(tree_file)) {
		report(false, v->name, "shmem files");
		goto out;
	}
	in = file_inode(data_file);
	ws_size = verityfs_core_build_ws_size(p, 65536);
	ws = kvmalloc(ws_size, GFP_KERNEL);
	if (!ws) {
		report(false, v->name, "allocate workspace");
		goto out;
	}
	sink.file = tree_file;
	sink.block_size = p->block_size;
	err = verityfs_core_build_tree(p, read_from_buffer, data, sink_to_file, &sink,
				       ws, ws_size, root);
	report(!err, v->name, "build the Merkle tree with crypto_shash");
	if (err)
		goto out;

	verityfs_core_desc_encode(p, root, 0, desc);
	vi = verityfs_open_create_info(in, desc, sizeof(desc), tree_file, 0);
	if (IS_ERR(vi)) {
		report(false, v->name, "load the descriptor");
		vi = NULL;
		goto out;
	}
	snprintf(hex, sizeof(hex), "%*phN", vi->params.digest_size, vi->file_digest);
	report(!strcmp(hex, v->digest), v->name, "file digest equals fsverity digest's");

	report(!verityfs_verifier_check_range(in, vi, 0, data, len), v->name,
	       "every block verifies");
	hits = atomic_long_read(&verityfs_hcache_stats.hits);
	report(!verityfs_verifier_check_range(in, vi, 0, data, len) &&
	       (vi->params.num_levels == 0 || atomic_long_read(&verityfs_hcache_stats.hits) > hits),
	       v->name, "verifies again from the hash-block cache");

	data[v->size / 2] ^= 0x01;
	report(verityfs_verifier_check_range(in, vi, 0, data, len) == -EBADMSG,
	       v->name, "a flipped data bit fails with EBADMSG");
	data[v->size / 2] ^= 0x01;

	if (len > v->size) {
		data[len - 1] = 0xff;
		report(verityfs_verifier_check_range(in, vi, 0, data, len) == -EBADMSG,
		       v->name, "non-zero bytes past EOF fail");
		data[len - 1] = 0;
	}

	if (vi->params.num_levels > 0) {
		/* A fresh state trusts nothing cached: the damaged tree must show. */
		verityfs_open_free_info(vi);
		vi = NULL;
		if (!flip_tree_byte(tree_file, p->level_start[0] << p->log_blocksize)) {
			report(false, v->name, "corrupt the tree");
			goto out;
		}
		vi = verityfs_open_create_info(in, desc, sizeof(desc), tree_file, 0);
		if (IS_ERR(vi)) {
			report(false, v->name, "reload the descriptor");
			vi = NULL;
			goto out;
		}
		report(verityfs_verifier_check_range(in, vi, 0, data, len) == -EBADMSG,
		       v->name, "a flipped tree bit fails with EBADMSG");
	}
out:
	verityfs_open_free_info(vi);
	if (!IS_ERR_OR_NULL(tree_file))
		fput(tree_file);
	if (!IS_ERR_OR_NULL(data_file))
		fput(data_file);
	kvfree(ws);
	kfree(p);
	kvfree(data);
}

/**
 * verityfs_selftest_run() - run every self-test vector and log the results
 */
void verityfs_selftest_run(void)
{
	unsigned int i;

	selftest_passed = 0;
	selftest_failed = 0;
	for (i = 0; i < ARRAY_SIZE(vectors); i++)
		run_vector(&vectors[i]);
	pr_info("selftest: %u passed, %u failed\n", selftest_passed, selftest_failed);
}

/*
 * VERITYFS_IOC_KMEASURE, on a regular file of a verityfs mount: what the
 * kernel's own fs-verity measures for it (kverity.c), in FS_IOC_MEASURE_VERITY's
 * form, or -ENODATA when fs/verity holds nothing for the inode. It is what
 * overlayfs, IMA and IPE would get, on every kernel, 5.10 included (which has
 * no fsverity_get_digest()).
 */
#define VERITYFS_IOC_KMEASURE	_IOWR('f', 0xf0, struct fsverity_digest)

long verityfs_selftest_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd != VERITYFS_IOC_KMEASURE || !S_ISREG(file_inode(file)->i_mode))
		return -ENOTTY;
#if IS_ENABLED(CONFIG_FS_VERITY)
	return fsverity_ioctl_measure(file, (void __user *)arg);
#else
	return -EOPNOTSUPP;
#endif
}
