// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs unit tests: the core against libfsverity, `fsverity digest`, the
 * golden vectors, and upstream's errnos.
 * Copyright (C) 2026 The verityfs authors
 *
 * usage: test_core [--quick] [--update] [VECTOR_DIR]
 *   --quick   skip the largest files (used for the sanitizer run)
 *   --update  rewrite VECTOR_DIR/libfsverity.txt from libfsverity
 */
#include <libfsverity.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

int vx_tap_num, vx_tap_failed;
static int quick, update;
static const char *vecdir = "test/vectors";

static const u32 algs[] = { VERITYFS_CORE_HASH_ALG_SHA256, VERITYFS_CORE_HASH_ALG_SHA512 };

/* ---- libfsverity as the oracle ---- */

struct lib_result {
	struct vx_file *f;
	u8 *tree;
	u64 tree_size;
	u8 desc[VERITYFS_CORE_DESC_SIZE];
	size_t desc_size;
	u8 digest[64];
	int bad;
};

static int lib_read(void *fd, void *buf, size_t count)
{
	struct lib_result *r = fd;

	vx_fill(buf, r->f->lib_pos, count, r->f->seed);
	r->f->lib_pos += count;
	return 0;
}

static int lib_tree_size(void *ctx, uint64_t size)
{
	struct lib_result *r = ctx;

	r->tree_size = size;
	r->tree = calloc(1, size ? size : 1);
	return r->tree ? 0 : -ENOMEM;
}

static int lib_tree_block(void *ctx, const void *block, size_t size, uint64_t off)
{
	struct lib_result *r = ctx;

	if (off + size > r->tree_size) {
		r->bad = 1;
		return -EINVAL;
	}
	memcpy(r->tree + off, block, size);
	return 0;
}

static int lib_desc(void *ctx, const void *d, size_t size)
{
	struct lib_result *r = ctx;

	if (size > sizeof(r->desc)) {
		r->bad = 1;
		return -EINVAL;
	}
	memcpy(r->desc, d, size);
	r->desc_size = size;
	return 0;
}

static int lib_compute(u32 alg, u32 bs, const u8 *salt, u32 salt_size,
		       struct vx_file *f, struct lib_result *r)
{
	struct libfsverity_metadata_callbacks cb = {
		.ctx = r, .merkle_tree_size = lib_tree_size,
		.merkle_tree_block = lib_tree_block, .descriptor = lib_desc,
	};
	struct libfsverity_merkle_tree_params params;
	struct libfsverity_digest *d = NULL;
	int err;

	memset(r, 0, sizeof(*r));
	memset(&params, 0, sizeof(params));
	r->f = f;
	f->lib_pos = 0;
	params.version = 1;
	params.hash_algorithm = alg;
	params.block_size = bs;
	params.file_size = f->size;
	params.salt_size = salt_size;
	params.salt = salt_size ? salt : NULL;
	params.metadata_callbacks = &cb;
	err = libfsverity_compute_digest(r, lib_read, &params, &d);
	if (err)
		return err;
	memcpy(r->digest, d->digest, d->digest_size);
	free(d);
	return 0;
}

/* One case: the core and libfsverity agree on digest, tree and descriptor. */
static int compare_case(u32 alg, u32 bs, const u8 *salt, u32 salt_size,
			u64 size, u64 seed, int use_2way, u8 *digest_out)
{
	struct vx_file f = { .size = size, .seed = seed };
	struct verityfs_core_params p;
	struct lib_result r;
	struct vx_tree t;
	u8 root[64], desc[256], digest[64];
	int err, ok = 1;

	err = vx_build(alg, bs, salt, salt_size, &f, use_2way, &p, root, desc, digest, &t);
	if (err) {
		vx_diag("core build failed: %d", err);
		free(t.buf);
		return 0;
	}
	err = lib_compute(alg, bs, salt, salt_size, &f, &r);
	if (err) {
		vx_diag("libfsverity failed: %d", err);
		free(t.buf);
		return 0;
	}
	if (memcmp(digest, r.digest, p.digest_size)) {
		vx_diag("digest differs");
		ok = 0;
	}
	if (r.desc_size != 256 || memcmp(desc, r.desc, 256)) {
		vx_diag("descriptor differs");
		ok = 0;
	}
	if (r.tree_size != p.tree_size || t.bad || t.blocks_seen != p.tree_blocks ||
	    memcmp(t.buf, r.tree, p.tree_size)) {
		vx_diag("tree differs (%llu vs %llu bytes)",
			(unsigned long long)p.tree_size, (unsigned long long)r.tree_size);
		ok = 0;
	}
	if (!ok)
		vx_diag("  case: %s bs=%u salt=%u size=%llu seed=%llu",
			vx_alg_name(alg), bs, salt_size, (unsigned long long)size,
			(unsigned long long)seed);
	if (digest_out)
		memcpy(digest_out, digest, p.digest_size);
	free(t.buf);
	free(r.tree);
	return ok;
}

static const u8 salt32[32] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
	0x76, 0x54, 0x32, 0x10, 0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
	0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0,
};
static const u32 salt_sizes[] = { 0, 1, 32 };

/* Sizes: 0, 1, B-1, B, B+1, a full level (one full level-0 block), two levels. */
static int case_sizes(u32 alg, u32 bs, u64 *sizes)
{
	u64 arity = bs / verityfs_core_hash_digest_size(alg);
	int n = 0;

	sizes[n++] = 0;
	sizes[n++] = 1;
	sizes[n++] = bs - 1;
	sizes[n++] = bs;
	sizes[n++] = bs + 1;
	if (!quick || bs * arity <= (4 << 20)) {
		sizes[n++] = bs * arity;		/* level 0 exactly one full block */
		sizes[n++] = bs * arity + 1;		/* two levels */
	}
	return n;
}

static void test_libfsverity_matrix(FILE *vec_out)
{
	unsigned int a, s, i;
	u32 bs;

	for (a = 0; a < 2; a++) {
		for (bs = 1024; bs <= 65536; bs <<= 1) {
			u64 sizes[8];
			int n = case_sizes(algs[a], bs, sizes), cases = 0, good = 0;

			for (s = 0; s < 3; s++) {
				for (i = 0; i < (unsigned int)n; i++) {
					u8 dg[64];
					char hex[129];
					int use_2way = (i & 1);

					cases++;
					good += compare_case(algs[a], bs, salt32, salt_sizes[s],
							     sizes[i], 1 + i + 16 * s,
							     use_2way, dg);
					if (vec_out) {
						vx_hex(hex, dg, verityfs_core_hash_digest_size(algs[a]));
						fprintf(vec_out, "%s %u %llu %u %llu %s\n",
							vx_alg_name(algs[a]), bs,
							(unsigned long long)sizes[i],
							salt_sizes[s],
							(unsigned long long)(1 + i + 16 * s), hex);
					}
				}
			}
			vx_ok(good == cases,
			      "libfsverity: %s bs=%u, salts 0/1/32 x sizes 0,1,B-1,B,B+1%s: digest, tree, descriptor (%d/%d)",
			      vx_alg_name(algs[a]), bs,
			      n > 5 ? ",full level,two levels" : "", good, cases);
		}
	}
}

/* Stored known answers (produced by libfsverity with --update). */
static void test_stored_vectors(void)
{
	char path[512], line[512], algname[16], hex[160];
	unsigned long long size, seed;
	unsigned int bs, salt_size;
	int n = 0, good = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/libfsverity.txt", vecdir);
	fp = fopen(path, "r");
	if (!fp) {
		vx_ok(0, "stored libfsverity vectors: cannot open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct vx_file f;
		struct verityfs_core_params p;
		u8 root[64], desc[256], dg[64], want[64];
		u32 alg;

		if (line[0] == '#' ||
		    sscanf(line, "%15s %u %llu %u %llu %159s", algname, &bs, &size,
			   &salt_size, &seed, hex) != 6)
			continue;
		if (quick && size > (4 << 20))
			continue;
		alg = !strcmp(algname, "sha256") ? 1 : 2;
		f.size = size;
		f.seed = seed;
		f.mem = NULL;
		n++;
		if (vx_unhex(want, hex, 64) != (int)verityfs_core_hash_digest_size(alg) ||
		    vx_build(alg, bs, salt32, salt_size, &f, 1, &p, root, desc, dg, NULL) ||
		    memcmp(dg, want, p.digest_size)) {
			vx_diag("mismatch: %s", line);
			continue;
		}
		good++;
	}
	fclose(fp);
	vx_ok(n > 0 && good == n, "stored libfsverity vectors (test/vectors/libfsverity.txt): %d/%d", good, n);
}

static void test_golden(void)
{
	char path[512], line[512], algname[16], salthex[80], hex[160];
	unsigned long long size;
	unsigned int bs;
	int n = 0, good = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/golden.txt", vecdir);
	fp = fopen(path, "r");
	if (!fp) {
		vx_ok(0, "golden vectors: cannot open %s", path);
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct vx_file f = { 0 };
		struct verityfs_core_params p;
		u8 root[64], desc[256], dg[64], want[64], salt[32];
		int salt_size = 0;
		u32 alg;

		if (line[0] == '#' ||
		    sscanf(line, "%15s %u %llu %79s %159s", algname, &bs, &size,
			   salthex, hex) != 5)
			continue;
		alg = !strcmp(algname, "sha256") ? 1 : 2;
		if (strcmp(salthex, "-") && strcmp(salthex, "="))
			salt_size = vx_unhex(salt, salthex, 32);
		f.size = size;
		n++;
		if (salt_size < 0 || vx_unhex(want, hex, 64) != (int)verityfs_core_hash_digest_size(alg) ||
		    vx_build(alg, bs, salt, salt_size, &f, 1, &p, root, desc, dg, NULL) ||
		    memcmp(dg, want, p.digest_size)) {
			vx_diag("golden mismatch: %s", line);
			continue;
		}
		good++;
	}
	fclose(fp);
	vx_ok(n == 20 && good == n, "golden vectors of fsverity-abi.md 2.6 (xfstests generic/575): %d/%d", good, n);
}

/* ---- the fsverity CLI on real (sparse) files ---- */

static int run_cli(const char *args, char *out, size_t outsz)
{
	char cmd[1024];
	FILE *pp;
	size_t n;

	snprintf(cmd, sizeof(cmd), "fsverity digest %s 2>&1", args);
	pp = popen(cmd, "r");
	if (!pp)
		return -1;
	n = fread(out, 1, outsz - 1, pp);
	out[n] = 0;
	while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = 0;
	return pclose(pp);
}

static u8 *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	u8 *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*len = n;
	return buf;
}

static int cli_case(const char *dir, u32 alg, u32 bs, u32 salt_size, u64 size,
		    u64 seed, int sparse)
{
	char file[128], treef[128], descf[128], args[1024], out[512], hex[200], salthex[80];
	struct vx_file f = { .size = size, .seed = seed };
	struct verityfs_core_params p;
	struct vx_tree t;
	u8 root[64], desc[256], dg[64], fmt[80];
	size_t tlen = 0, dlen = 0;
	u8 *tbuf, *dbuf;
	int ok = 1, fl;

	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(treef, sizeof(treef), "%s/tree", dir);
	snprintf(descf, sizeof(descf), "%s/desc", dir);
	if (sparse) {
		if (truncate(file, 0) && errno != ENOENT)
			return 0;
		FILE *fp = fopen(file, "wb");

		if (!fp || ftruncate(fileno(fp), size))
			return 0;
		fclose(fp);
	} else {
		FILE *fp = fopen(file, "wb");
		u8 *buf = malloc(size ? size : 1);

		vx_fill(buf, 0, size, seed);
		if (!fp || fwrite(buf, 1, size, fp) != size)
			ok = 0;
		fclose(fp);
		free(buf);
	}
	if (vx_build(alg, bs, salt32, salt_size, &f, 1, &p, root, desc, dg, &t))
		return 0;
	vx_hex(salthex, salt32, salt_size);
	snprintf(args, sizeof(args),
		 "--compact --hash-alg=%s --block-size=%u --salt=%s --out-merkle-tree=%s --out-descriptor=%s %s",
		 vx_alg_name(alg), bs, salthex, treef, descf, file);
	vx_hex(hex, dg, p.digest_size);
	if (run_cli(args, out, sizeof(out)) || strcmp(out, hex)) {
		vx_diag("fsverity digest %s: got '%s' want '%s'", args, out, hex);
		ok = 0;
	}
	tbuf = slurp(treef, &tlen);
	dbuf = slurp(descf, &dlen);
	if (!tbuf || tlen != p.tree_size || memcmp(tbuf, t.buf, tlen)) {
		vx_diag("--out-merkle-tree differs");
		ok = 0;
	}
	if (!dbuf || dlen != 256 || memcmp(dbuf, desc, 256)) {
		vx_diag("--out-descriptor differs");
		ok = 0;
	}
	/* The signed message: --for-builtin-sig prints it in hex. */
	snprintf(args, sizeof(args), "--compact --for-builtin-sig --hash-alg=%s --block-size=%u --salt=%s %s",
		 vx_alg_name(alg), bs, salthex, file);
	fl = verityfs_core_formatted_digest(alg, dg, fmt);
	vx_hex(hex, fmt, fl > 0 ? fl : 0);
	if (run_cli(args, out, sizeof(out)) || strcmp(out, hex)) {
		vx_diag("--for-builtin-sig: got '%s' want '%s'", out, hex);
		ok = 0;
	}
	free(tbuf);
	free(dbuf);
	free(t.buf);
	return ok;
}

static void test_cli(void)
{
	char dir[] = "/tmp/vx-core-XXXXXX";
	unsigned int a, s;
	u32 bs;

	if (system("fsverity --version >/dev/null 2>&1")) {
		vx_ok(0, "fsverity CLI missing: apt-get install fsverity");
		return;
	}
	if (!mkdtemp(dir)) {
		vx_ok(0, "mkdtemp");
		return;
	}
	for (a = 0; a < 2; a++) {
		int good = 0, n = 0;

		for (bs = 1024; bs <= 65536; bs <<= 1)
			for (s = 0; s < 3; s++) {
				u64 arity = bs / verityfs_core_hash_digest_size(algs[a]);

				n += 3;
				good += cli_case(dir, algs[a], bs, salt_sizes[s], bs + 1, 7 + s, 0);
				good += cli_case(dir, algs[a], bs, salt_sizes[s], 3 * bs - 1, 9 + s, 0);
				/* Two levels (sparse, so cheap on disk). */
				good += cli_case(dir, algs[a], bs, salt_sizes[s],
						 quick && bs > 4096 ? 5 * bs : bs * arity + 3, 0, 1);
			}
		vx_ok(good == n, "fsverity digest CLI: %s all block sizes x salts 0/1/32: digest, --out-merkle-tree, --out-descriptor, --for-builtin-sig (%d/%d)",
		      vx_alg_name(algs[a]), good, n);
	}
	/* 100 MB sparse file, as xfstests generic/572 uses. */
	{
		int good = 0;

		for (a = 0; a < 2; a++)
			for (s = 0; s < 3; s += 2)
				good += cli_case(dir, algs[a], 4096, salt_sizes[s], 100000000, 0, 1);
		vx_ok(good == 4, "100 MB sparse file: sha256/sha512 @4K, salt 0/32 equal to fsverity digest (%d/4)", good);
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		if (system(cmd))
			vx_diag("cleanup of %s failed", dir);
	}
}

/* ---- geometry against the numbers in fsverity-abi.md 2.2 ---- */

static void test_geometry(void)
{
	static const struct {
		u32 alg, log; u64 size; unsigned int levels; u64 tree_size;
		u64 lvl[4];
	} g[] = {
		{ 1, 12, 100000000, 3, 794624, { 191, 2, 1 } },
		{ 1, 10, 100000000, 4, 3227648, { 3052, 96, 3, 1 } },
		{ 1, 12, 1 << 20, 2, 12288, { 2, 1 } },
		{ 1, 12, 4097, 1, 4096, { 1 } },
		{ 1, 12, 4096, 0, 0, { 0 } },
		{ 1, 12, 0, 0, 0, { 0 } },
		{ 2, 12, 4096ULL * 64 * 64, 2, 4096 * 65, { 64, 1 } },
	};
	const struct verityfs_core_hash *h;
	struct verityfs_core_params p;
	unsigned int i, l;
	int good = 0;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		int ok;

		h = verityfs_core_host_hash(g[i].alg, false);
		ok = !verityfs_core_init_params(&p, h, g[i].alg, g[i].log, NULL, 0, g[i].size) &&
		     p.num_levels == g[i].levels && p.tree_size == g[i].tree_size;
		for (l = 0; ok && l < g[i].levels; l++)
			ok = p.level_blocks[l] == g[i].lvl[l];
		/* Level starts: the highest level first, level 0 last. */
		if (ok && p.num_levels)
			ok = p.level_start[p.num_levels - 1] == 0 &&
			     p.level_start[0] + p.level_blocks[0] == p.tree_blocks;
		if (!ok)
			vx_diag("geometry case %u wrong (levels %u, tree %llu)", i,
				p.num_levels, (unsigned long long)p.tree_size);
		good += ok;
	}
	/* 16 GiB sparse at 4K: the tree is about 135 MB. */
	h = verityfs_core_host_hash(1, false);
	if (!verityfs_core_init_params(&p, h, 1, 12, NULL, 0, 16ULL << 30) &&
	    p.tree_size > 134000000 && p.tree_size < 136000000)
		good++;
	else
		vx_diag("16 GiB tree size %llu", (unsigned long long)p.tree_size);
	vx_ok(good == (int)(sizeof(g) / sizeof(g[0])) + 1,
	      "geometry: levels, level starts, tree sizes match fsverity-abi.md 2.2 (%d cases)", good);

	/* Hash path: positions of data block hashes. */
	{
		struct verityfs_core_hash_pos path[8];
		int ok;

		verityfs_core_init_params(&p, h, 1, 12, NULL, 0, 100000000);
		ok = !verityfs_core_hash_path(&p, 0, path) && path[0].index == 3 &&
		     path[0].offset == 0 && path[1].index == 1 && path[2].index == 0;
		ok = ok && !verityfs_core_hash_path(&p, 128 + 5, path) &&
		     path[0].index == 4 && path[0].offset == 5 * 32 &&
		     path[1].index == 1 && path[1].offset == 32;
		ok = ok && verityfs_core_hash_path(&p, p.data_blocks, path) == -EINVAL;
		vx_ok(ok, "hash path: tree block index and offset per level; past EOF is -EINVAL");
	}
}

/* ---- errnos ---- */

static void put32(u8 *b, unsigned int off, u32 v) { memcpy(b + off, &v, 4); }

static void test_enable_arg_errnos(void)
{
	static const struct {
		const char *what; unsigned int off; u32 val; int want;
	} c[] = {
		{ "valid", 0, 1, 0 },
		{ "version 0", 0, 0, -EINVAL },
		{ "version 2", 0, 2, -EINVAL },
		{ "__reserved1", 28, 1, -EINVAL },
		{ "__reserved2[0]", 40, 1, -EINVAL },
		{ "__reserved2[10] high byte", 124, 0x01000000, -EINVAL },
		{ "block_size 0", 8, 0, -EINVAL },
		{ "block_size 3", 8, 3, -EINVAL },
		{ "block_size 4097", 8, 4097, -EINVAL },
		{ "salt_size 33", 12, 33, -EMSGSIZE },
		{ "salt_size 500", 12, 500, -EMSGSIZE },
		{ "sig_size 16129", 24, 16129, -EMSGSIZE },
		{ "sig_size 16128", 24, 16128, 0 },
		{ "hash_algorithm 257 (checked later)", 4, 257, 0 },
	};
	struct verityfs_core_enable_req req;
	unsigned int i;
	int good = 0, n = sizeof(c) / sizeof(c[0]);
	u8 arg[128];

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int err;

		memset(arg, 0, sizeof(arg));
		put32(arg, 0, 1);
		put32(arg, 4, 1);
		put32(arg, 8, 4096);
		put32(arg, 12, 32);
		put32(arg, c[i].off, c[i].val);
		err = verityfs_core_check_enable_arg(arg, &req);
		if (err == c[i].want)
			good++;
		else
			vx_diag("enable arg %s: got %d want %d", c[i].what, err, c[i].want);
	}
	/* Order: version before reserved before block size before sizes. */
	memset(arg, 0, sizeof(arg));
	put32(arg, 0, 2); put32(arg, 8, 3); put32(arg, 12, 99); put32(arg, 28, 1);
	good += verityfs_core_check_enable_arg(arg, &req) == -EINVAL;
	put32(arg, 0, 1); put32(arg, 28, 0);
	good += verityfs_core_check_enable_arg(arg, &req) == -EINVAL;	/* block size first */
	put32(arg, 8, 4096);
	good += verityfs_core_check_enable_arg(arg, &req) == -EMSGSIZE;
	put32(arg, 12, 0); put32(arg, 24, 0);
	good += !verityfs_core_check_enable_arg(arg, &req) && req.log_blocksize == 12;
	n += 4;
	vx_ok(good == n, "FS_IOC_ENABLE_VERITY argument: upstream errnos and order (%d/%d)", good, n);
}

static void test_init_params_errnos(void)
{
	static const struct {
		const char *what; u32 alg, log, salt; u64 size; int want;
	} c[] = {
		{ "sha256 4K", 1, 12, 0, 1000, 0 },
		{ "alg 0", 0, 12, 0, 1000, -EINVAL },
		{ "alg 3", 3, 12, 0, 1000, -EINVAL },
		{ "alg 257 (no u8 aliasing)", 257, 12, 0, 1000, -EINVAL },
		{ "block size 1 (log 0)", 1, 0, 0, 1000, -EINVAL },
		{ "block size 512", 1, 9, 0, 1000, -EINVAL },
		{ "block size 128K", 1, 17, 0, 1000, -EINVAL },
		{ "log_blocksize 255", 2, 255, 0, 1000, -EINVAL },
		{ "salt 33", 1, 12, 33, 1000, -EINVAL },
		{ "8 levels ok: sha512@1K 2^41", 2, 10, 0, 1ULL << 41, 0 },
		{ "9 levels: sha512@1K 2^42", 2, 10, 0, (1ULL << 42) + 1, -EFBIG },
		{ "U64_MAX size", 2, 10, 0, ~0ULL, -EFBIG },
		{ "U64_MAX size @64K sha256", 1, 16, 0, ~0ULL, 0 },
	};
	struct verityfs_core_params p;
	unsigned int i;
	int good = 0, n = sizeof(c) / sizeof(c[0]);

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		const struct verityfs_core_hash *h = verityfs_core_host_hash(c[i].alg, false);
		int err;

		if (!h)
			h = verityfs_core_host_hash(1, false);
		err = verityfs_core_init_params(&p, h, c[i].alg, c[i].log, salt32,
						c[i].salt, c[i].size);
		if (err == c[i].want)
			good++;
		else
			vx_diag("init_params %s: got %d want %d", c[i].what, err, c[i].want);
	}
	/* No backend: -ENOPKG; a backend for the wrong algorithm: -EINVAL. */
	good += verityfs_core_init_params(&p, NULL, 1, 12, NULL, 0, 1) == -ENOPKG;
	good += verityfs_core_init_params(&p, verityfs_core_host_hash(2, false), 1, 12,
					  NULL, 0, 1) == -EINVAL;
	n += 2;
	vx_ok(good == n, "Merkle parameters: unknown alg/block size -EINVAL, >8 levels -EFBIG, no backend -ENOPKG (%d/%d)",
	      good, n);
}

static void test_desc_errnos(void)
{
	struct verityfs_core_desc_info info;
	struct verityfs_core_params p;
	struct vx_file f = { .size = 5000, .seed = 3 };
	u8 root[64], good_desc[16384 + 8], d[16384 + 8], dg[64];
	unsigned int i;
	int good = 0, n = 0, err;

	memset(good_desc, 0, sizeof(good_desc));
	vx_build(1, 4096, salt32, 5, &f, 0, &p, root, good_desc, dg, NULL);

#define DESC_CASE(what, size, isize, want) do {				\
		n++;							\
		err = verityfs_core_desc_parse(d, (size), (isize), &info);	\
		if (err == (want))					\
			good++;						\
		else							\
			vx_diag("descriptor %s: got %d want %d", what, err, want); \
	} while (0)
#define RESET() memcpy(d, good_desc, sizeof(d))

	RESET(); DESC_CASE("valid", 256, 5000, 0);
	good += info.hash_alg == 1 && info.log_blocksize == 12 && info.salt_size == 5 &&
		info.data_size == 5000 && !memcmp(info.root_hash, root, 32);
	n++;
	RESET(); DESC_CASE("255 bytes", 255, 5000, -EINVAL);
	RESET(); DESC_CASE("0 bytes", 0, 5000, -EINVAL);
	RESET(); DESC_CASE("16385 bytes", 16385, 5000, -EMSGSIZE);
	RESET(); DESC_CASE("16384 bytes", 16384, 5000, 0);
	RESET(); d[0] = 0; DESC_CASE("version 0", 256, 5000, -EINVAL);
	RESET(); d[0] = 2; DESC_CASE("version 2", 256, 5000, -EINVAL);
	for (i = 112; i < 256; i++) {
		RESET();
		d[i] = 0x80;
		DESC_CASE("reserved byte", 256, 5000, -EINVAL);
	}
	RESET(); d[3] = 33; DESC_CASE("salt_size 33", 256, 5000, -EINVAL);
	RESET(); d[3] = 255; DESC_CASE("salt_size 255", 256, 5000, -EINVAL);
	RESET(); DESC_CASE("data_size != i_size", 256, 5001, -EINVAL);
	RESET(); DESC_CASE("data_size != i_size (0)", 256, 0, -EINVAL);
	RESET(); put32(d, 4, 1); DESC_CASE("sig_size 1, no signature", 256, 5000, -EINVAL);
	RESET(); put32(d, 4, 100); DESC_CASE("sig_size == appended", 356, 5000, 0);
	RESET(); put32(d, 4, 101); DESC_CASE("sig_size > appended", 356, 5000, -EINVAL);
	RESET(); put32(d, 4, 0xffffffff); DESC_CASE("sig_size 2^32-1", 16384, 5000, -EINVAL);
	/* Upstream's order: version is checked before reserved, salt, size. */
	RESET(); d[0] = 9; d[200] = 1; d[3] = 99; DESC_CASE("version first", 256, 1, -EINVAL);
	/* Not checked by upstream, but covered by the digest. */
	RESET(); d[80 + 31] = 0xaa; DESC_CASE("salt tail bytes", 256, 5000, 0);
	RESET(); d[16 + 40] = 0xaa; DESC_CASE("root_hash tail bytes", 256, 5000, 0);
	vx_ok(good == n, "descriptor validation: upstream checks, order and errnos (%d/%d)", good, n);

	/* Fields checked at parameter setup, on the parsed descriptor. */
	good = n = 0;
	{
		static const struct { unsigned int off; u8 val; int want; } c[] = {
			{ 1, 0, -EINVAL }, { 1, 3, -EINVAL }, { 1, 255, -EINVAL },
			{ 2, 9, -EINVAL }, { 2, 17, -EINVAL }, { 2, 0, -EINVAL },
			{ 2, 10, 0 }, { 2, 16, 0 }, { 1, 2, 0 },
		};
		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			RESET();
			d[c[i].off] = c[i].val;
			n++;
			err = verityfs_core_desc_parse(d, 256, 5000, &info);
			if (!err)
				err = verityfs_core_init_params(&p,
					verityfs_core_host_hash(info.hash_alg, false) ?: verityfs_core_host_hash(1, false),
					info.hash_alg, info.log_blocksize,
					info.salt, info.salt_size, info.data_size);
			if (err == c[i].want)
				good++;
			else
				vx_diag("descriptor byte %u = %u: got %d want %d", c[i].off, c[i].val, err, c[i].want);
		}
	}
	/* A size needing 9 levels: -EFBIG. */
	RESET();
	d[1] = 2; d[2] = 10;
	{
		u64 big = (1ULL << 42) + 1;

		memcpy(d + 8, &big, 8);
		n++;
		err = verityfs_core_desc_parse(d, 256, big, &info);
		if (!err)
			err = verityfs_core_init_params(&p, verityfs_core_host_hash(2, false), 2, 10,
							info.salt, info.salt_size, info.data_size);
		good += err == -EFBIG;
	}
	vx_ok(good == n, "descriptor hash_algorithm/log_blocksize: -EINVAL; too deep: -EFBIG (%d/%d)", good, n);

	/* The digest ignores a stored sig_size (it is hashed as zero). */
	{
		u8 dg2[64];

		RESET();
		put32(d, 4, 1234);
		verityfs_core_file_digest(verityfs_core_host_hash(1, false), good_desc, dg);
		verityfs_core_file_digest(verityfs_core_host_hash(1, false), d, dg2);
		vx_ok(!memcmp(dg, dg2, 32), "file digest hashes sig_size as zero");
	}
#undef DESC_CASE
#undef RESET
}

/* ---- hashing ---- */

static void test_sha256_x2(void)
{
	const struct verityfs_core_hash *h1 = verityfs_core_host_hash(1, false);
	const struct verityfs_core_hash *h2 = verityfs_core_host_hash(1, true);
	static u8 b1[65536], b2[65536];
	struct verityfs_core_params p1, p2;
	unsigned int i, s, log;
	int good = 0, n = 0;

	if (!verityfs_core_host_has_sha_ni()) {
		vx_ok(1, "# SKIP 2-way SHA-256: no SHA-NI on this CPU");
		return;
	}
	for (log = 10; log <= 16; log++)
		for (s = 0; s < 3; s++)
			for (i = 0; i < 4; i++) {
				u8 o1[32], o2[32], r1[32], r2[32];

				vx_fill(b1, 1000 * i, sizeof(b1), 11 + i);
				vx_fill(b2, 3000 * i, sizeof(b2), 91 + i + s);
				verityfs_core_init_params(&p1, h1, 1, log, salt32, salt_sizes[s], 1 << 20);
				verityfs_core_init_params(&p2, h2, 1, log, salt32, salt_sizes[s], 1 << 20);
				verityfs_core_hash_blocks2(&p2, b1, b2, o1, o2);
				verityfs_core_hash_block(&p1, b1, r1);
				verityfs_core_hash_block(&p1, b2, r2);
				n++;
				good += !memcmp(o1, r1, 32) && !memcmp(o2, r2, 32);
			}
	/* Against one-shot OpenSSL EVP as an independent check (no salt). */
	{
		u8 o1[32], o2[32], r[32];
		unsigned int rl;

		verityfs_core_init_params(&p2, h2, 1, 12, NULL, 0, 1 << 20);
		verityfs_core_hash_blocks2(&p2, b1, b2, o1, o2);
		EVP_Digest(b1, 4096, r, &rl, EVP_sha256(), NULL);
		n++;
		good += !memcmp(o1, r, 32);
		EVP_Digest(b2, 4096, r, &rl, EVP_sha256(), NULL);
		n++;
		good += !memcmp(o2, r, 32);
	}
	vx_ok(good == n, "2-way SHA-NI SHA-256 equals OpenSSL for every block size and salt (%d/%d)", good, n);
}

/* ---- callbacks that fail ---- */

static int fail_after;
static int failing_read(void *ctx, u64 pos, void *buf, size_t len)
{
	if (fail_after-- <= 0)
		return -EIO;
	return vx_read(ctx, pos, buf, len);
}

static int failing_sink(void *ctx, unsigned int level, u64 index, const void *block)
{
	(void)ctx; (void)level; (void)index; (void)block;
	return -ENOSPC;
}

static int intr_read(void *ctx, u64 pos, void *buf, size_t len)
{
	(void)ctx; (void)pos; (void)buf; (void)len;
	return -EINTR;
}

static void test_callback_errors(void)
{
	struct vx_file f = { .size = 10 << 20, .seed = 5 };
	struct verityfs_core_params p;
	static u8 ws[1 << 20];
	size_t need;
	u8 root[64];
	int good = 0;

	verityfs_core_init_params(&p, verityfs_core_host_hash(1, true), 1, 12, NULL, 0, f.size);
	need = verityfs_core_build_ws_size(&p, 64 * 1024);
	fail_after = 3;
	good += verityfs_core_build_tree(&p, failing_read, &f, NULL, NULL, ws, need, root) == -EIO;
	good += verityfs_core_build_tree(&p, intr_read, &f, NULL, NULL, ws, need, root) == -EINTR;
	good += verityfs_core_build_tree(&p, vx_read, &f, failing_sink, NULL, ws, need, root) == -ENOSPC;
	good += verityfs_core_build_tree(&p, vx_read, &f, NULL, NULL, ws,
					 verityfs_core_build_ws_size(&p, 0) - 1, root) == -EINVAL;
	/* A file that grew while being read: the geometry is held. */
	{
		struct vx_file g = { .size = 20 << 20, .seed = 5 };
		struct verityfs_core_params q = p;

		q.data_size = g.size;	/* data beyond the geometry */
		good += verityfs_core_build_tree(&q, vx_read, &g, NULL, NULL, ws, need, root) == -EINVAL;
	}
	/* A tiny workspace (exactly one read block) still builds correctly. */
	{
		u8 r2[64];

		verityfs_core_build_tree(&p, vx_read, &f, NULL, NULL, ws, need, root);
		good += !verityfs_core_build_tree(&p, vx_read, &f, NULL, NULL, ws,
						  verityfs_core_build_ws_size(&p, 0), r2) &&
			!memcmp(root, r2, 32);
	}
	vx_ok(good == 6, "build: read/sink errors and -EINTR propagate, short workspace -EINVAL, overlong data -EINVAL (%d/6)", good);
}

int main(int argc, char **argv)
{
	FILE *vec_out = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			quick = 1;
		else if (!strcmp(argv[i], "--update"))
			update = 1;
		else
			vecdir = argv[i];
	}
	if (update) {
		char path[512];

		snprintf(path, sizeof(path), "%s/libfsverity.txt", vecdir);
		vec_out = fopen(path, "w");
		if (!vec_out)
			return 2;
		fprintf(vec_out, "# SPDX-License-Identifier: GPL-2.0-only\n"
			"# fs-verity digests computed by libfsverity %d.%d (test_core --update).\n"
			"# File contents: the vx_fill() pattern of test/unit/tap.h with the given seed.\n"
			"# Salt: the first salt_size bytes of salt32 in test/unit/test_core.c.\n"
			"# Columns: algorithm block_size file_size salt_size seed digest\n",
			FSVERITY_UTILS_MAJOR_VERSION, FSVERITY_UTILS_MINOR_VERSION);
	}
	printf("TAP version 13\n");
	test_golden();
	test_geometry();
	test_enable_arg_errnos();
	test_init_params_errnos();
	test_desc_errnos();
	test_sha256_x2();
	test_callback_errors();
	test_libfsverity_matrix(vec_out);
	if (vec_out)
		fclose(vec_out);
	else
		test_stored_vectors();
	test_cli();
	printf("1..%d\n", vx_tap_num);
	return vx_tap_failed ? 1 : 0;
}
