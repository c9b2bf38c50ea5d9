// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-stress: mixed load, crash workloads and scale runs over verityfs, every
 * byte read checked against files whose digests the host computed.
 *
 *   vx-stress templates              the file templates: "T SIZE ALG BS SALT SEED"
 *   vx-stress gen SIZE SEED          a template's bytes on stdout (the host runs
 *                                    `fsverity digest` on them: stress.tab)
 *   vx-stress run TAB MNT LOWER SECS [-2 MNT2] [-s SEED] [-p POP] [-D] [-X]
 *                                    the mixed stress (see run_stress()); -X
 *                                    changes lower bytes to test the checks
 *   vx-stress check TAB MNT LOWER [-c]
 *                                    every name checked; -c: after a crash
 *   vx-stress prep TAB MNT N SEED    N new plain files, each fsynced, then sync
 *   vx-stress crash TAB MNT SEED TAG enables, renames, links and unlinks of
 *                                    verity files until the machine dies, each
 *                                    announced and acknowledged on stdout
 *   vx-stress mkmany TAB DIR N T     N files of template T, enabled, 100 per
 *                                    directory
 *   vx-stress walk TAB DIR N T       lookup, open, measure, read each of them
 *   vx-stress hold TAB DIR N T       keep N of them open until SIGTERM
 *   vx-stress reopen FILE            open FILE O_PATH, unlink it, open it again
 *                                    through /proc/self/fd: "ok DIGEST SHA-OF-BYTES"
 *                                    (FNV-1a 64, enough to compare) or the errno
 *
 * Names in the tested tree say what a file must be: dK/vT-U is a verity
 * file of template T, dK/pT-U a plain file of template T, dK/wP a writer's
 * own plain file, tmp/ holds files being made. A template is a size, the
 * enable parameters and a seed; byte O of its data is a pure function of
 * the seed and O, so any range read anywhere can be checked, and the host's
 * table (stress.tab, made by test/vm/host-data.sh with the stock `fsverity
 * digest`) gives the digest each verity file must measure.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "vx-abi.h"

/* The upstream ABI (reference/fsverity-abi.md section 1), written out. */
struct vx_digest {
	uint16_t alg, size;
	uint8_t digest[64];
};
#define VX_IOC_ENABLE	_IOW('f', 133, struct vx_enable_arg)
#define VX_IOC_MEASURE	_IOWR('f', 134, uint32_t)
#define VX_IOC_READMETA	_IOWR('f', 135, struct vx_readmeta_arg)
#define VX_IOC_GETFLAGS	_IOR('f', 1, long)
#define VX_VERITY_FL	0x00100000

#define NDIRS		8
#define MAXT		64
#define CHUNK		(1 << 20)

struct tmpl {
	unsigned long size;
	unsigned int alg, bs, salt_len;
	uint8_t salt[32];
	uint64_t seed;
	uint8_t digest[64];
	unsigned int digest_len;
};
static struct tmpl tab[MAXT];
static int ntab;

/* ---- deterministic data ---------------------------------------------- */

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Byte O of a template's data: byte O % 8 of mix64(seed ^ word number). */
static void gen(uint64_t seed, uint64_t off, uint8_t *b, size_t n)
{
	while (n) {
		uint64_t w = mix64(seed ^ ((off >> 3) * 0xd1342543de82ef95ULL));
		unsigned int s = off & 7, i;
		size_t k = 8 - s;

		if (k > n)
			k = n;
		for (i = 0; i < k; i++)
			b[i] = (uint8_t)(w >> (8 * (s + i)));
		b += k;
		off += k;
		n -= k;
	}
}

static const unsigned long tsizes[] = {
	0, 1, 511, 1024, 4095, 4096, 4097, 8192, 12289, 65536, 65537, 200000,
	262144, 500000, 1048576, 1048577, 2000000, 3145728,
};
#define NTSIZES (sizeof(tsizes) / sizeof(tsizes[0]))
#define NTEMPLATES 48

static void template_params(int t, struct tmpl *p)
{
	static const unsigned int bss[] = { 1024, 2048, 4096, 4096 };
	static const unsigned int salts[] = { 0, 0, 1, 8, 16, 32 };
	uint64_t r = mix64(1000 + t);
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->size = tsizes[t % NTSIZES];
	p->alg = (r & 1) ? 2 : 1;
	p->bs = bss[(r >> 1) & 3];
	p->salt_len = salts[(r >> 3) % 6];
	for (i = 0; i < p->salt_len; i++)
		p->salt[i] = (uint8_t)(mix64(r + i) >> 7);
	p->seed = mix64(7 * t + 1);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static unsigned int unhex(const char *s, uint8_t *out, unsigned int max)
{
	unsigned int n = 0;

	while (s[0] && s[1] && n < max && hexval(s[0]) >= 0 && hexval(s[1]) >= 0) {
		out[n++] = (uint8_t)(hexval(s[0]) << 4 | hexval(s[1]));
		s += 2;
	}
	return n;
}

/* stress.tab: "T SIZE ALG BS SALT SEED DIGEST", DIGEST as `fsverity digest` prints it. */
static void load_table(const char *path)
{
	char line[512], alg[16], salt[80], dig[200];
	FILE *f = fopen(path, "r");
	unsigned long long seed;
	unsigned long size;
	unsigned int bs;
	int t;

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		struct tmpl *p;
		char *colon;

		if (sscanf(line, "%d %lu %15s %u %79s %llu %199s", &t, &size, alg, &bs, salt,
			   &seed, dig) != 7 || t < 0 || t >= MAXT)
			continue;
		p = &tab[t];
		p->size = size;
		p->alg = strcmp(alg, "sha512") ? 1 : 2;
		p->bs = bs;
		p->salt_len = strcmp(salt, "-") ? unhex(salt, p->salt, 32) : 0;
		p->seed = seed;
		colon = strchr(dig, ':');
		p->digest_len = unhex(colon ? colon + 1 : dig, p->digest, 64);
		if (t >= ntab)
			ntab = t + 1;
	}
	fclose(f);
	if (!ntab) {
		fprintf(stderr, "vx-stress: empty table %s\n", path);
		exit(2);
	}
}

/* ---- shared counters and failure reports ----------------------------- */

enum {
	C_ENABLE, C_ENABLE_EXPECTED_ERR, C_VREAD, C_VMMAP, C_VSPLICE, C_VDIRECT,
	C_VMETA, C_PREAD, C_PREPLACE, C_FSX, C_RENAME, C_RENAME_OVER, C_LINK, C_UNLINK, C_DROP,
	C_HOG, C_MOUNT2, C_RACE, C_INJECT, C_BYTES, C_WRONG, C_EIO, C_FAIL, NC
};
static const char *const cname[NC] = {
	"enable", "enable_errno_checks", "verity_read", "verity_mmap", "verity_splice",
	"verity_direct", "verity_metadata", "plain_read", "plain_replace", "plain_fsx",
	"rename", "rename_over", "link", "unlink", "drop_caches", "memory_hog", "mount2_cycles",
	"name_races", "injected", "bytes_checked", "wrong_bytes", "eio", "failures",
};

struct shared {
	volatile int stop;
	long c[NC];
	long uniq;
	long pop;
	long msgs;
};
static struct shared *sh;
static const char *mnt, *lower, *mnt2;
static uint64_t rs;
static int plain_direct = 1;
static long pop_limit = 100;

static void count(int i, long n)
{
	__atomic_add_fetch(&sh->c[i], n, __ATOMIC_RELAXED);
}

static void fail(int kind, const char *fmt, ...)
{
	va_list ap;

	count(kind, 1);
	if (kind != C_FAIL)
		count(C_FAIL, 1);
	if (__atomic_add_fetch(&sh->msgs, 1, __ATOMIC_RELAXED) > 40)
		return;
	printf("FAIL [%d] ", getpid());
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ULL;
}

static long next_uniq(void)
{
	return __atomic_add_fetch(&sh->uniq, 1, __ATOMIC_RELAXED);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- checks ------------------------------------------------------------ */

static uint8_t *expbuf;

/* Compare N bytes read at OFF with template T's. Returns 0 when equal. */
static int check_bytes(int t, uint64_t off, const uint8_t *b, size_t n, const char *how,
		       const char *name)
{
	size_t i, wrong = 0, first = 0;

	while (n) {
		size_t k = n > CHUNK ? CHUNK : n;

		gen(tab[t].seed, off, expbuf, k);
		if (memcmp(b, expbuf, k)) {
			for (i = 0; i < k; i++)
				if (b[i] != expbuf[i] && !wrong++)
					first = off + i;
		}
		count(C_BYTES, k);
		b += k;
		off += k;
		n -= k;
	}
	if (!wrong)
		return 0;
	count(C_WRONG, wrong);
	fail(C_FAIL, "%s: %s: %zu wrong bytes, the first at %zu", name, how, wrong, first);
	return -1;
}

static int enable_fd(int fd, int t)
{
	struct vx_enable_arg a;

	memset(&a, 0, sizeof(a));
	a.version = 1;
	a.hash_algorithm = tab[t].alg;
	a.block_size = tab[t].bs;
	a.salt_size = tab[t].salt_len;
	a.salt_ptr = (uintptr_t)tab[t].salt;
	return ioctl(fd, VX_IOC_ENABLE, &a);
}

/* 0 when FD measures as template T's digest; reports otherwise. */
static int check_measure(int fd, int t, const char *name)
{
	struct vx_digest d;

	memset(&d, 0, sizeof(d));
	d.size = 64;
	if (ioctl(fd, VX_IOC_MEASURE, &d)) {
		fail(errno == EIO ? C_EIO : C_FAIL, "%s: measure: %s", name, strerror(errno));
		return -1;
	}
	if (d.alg != tab[t].alg || d.size != tab[t].digest_len ||
	    memcmp(d.digest, tab[t].digest, d.size)) {
		fail(C_FAIL, "%s: measured digest differs from the host's fsverity digest", name);
		return -1;
	}
	return 0;
}

static int is_verity(int fd)
{
	long flags = 0;

	if (ioctl(fd, VX_IOC_GETFLAGS, &flags))
		return errno == ENOTTY || errno == EOPNOTSUPP ? 0 : -1;
	return !!(flags & VX_VERITY_FL);
}

/* Read a whole file with read(2) in random-sized pieces and check it. */
static int check_whole(int fd, int t, const char *name, int direct)
{
	static uint8_t *buf;
	size_t bsz = direct ? 4096 * (1 + rnd() % 64) : 1 + rnd() % CHUNK;
	uint64_t off = 0;

	if (!buf && posix_memalign((void **)&buf, 4096, CHUNK))
		exit(3);
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	for (;;) {
		ssize_t n = read(fd, buf, bsz);

		if (n < 0) {
			fail(errno == EIO ? C_EIO : C_FAIL, "%s: read at %llu: %s", name,
			     (unsigned long long)off, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		if (check_bytes(t, off, buf, n, direct ? "O_DIRECT read" : "read", name))
			return -1;
		off += n;
	}
	if (off != tab[t].size) {
		fail(C_FAIL, "%s: read %llu bytes, the template has %lu", name,
		     (unsigned long long)off, tab[t].size);
		return -1;
	}
	return 0;
}

static sigjmp_buf bus_jmp;
static volatile int bus_armed;

static void on_sigbus(int sig)
{
	if (bus_armed)
		siglongjmp(bus_jmp, 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Random ranges through a shared read-only mapping, and zeros past EOF. */
static int check_mmap(int fd, int t, const char *name)
{
	size_t size = tab[t].size, maplen, i;
	volatile int bad = 0;
	uint8_t *p;

	if (!size)
		return 0;
	maplen = (size + 4095) & ~4095UL;
	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail(C_FAIL, "%s: mmap: %s", name, strerror(errno));
		return -1;
	}
	bus_armed = 1;
	if (sigsetjmp(bus_jmp, 1)) {
		bus_armed = 0;
		fail(C_EIO, "%s: SIGBUS through mmap", name);
		munmap(p, maplen);
		return -1;
	}
	for (i = 0; i < 4 && !bad; i++) {
		size_t off = rnd() % size, len = 1 + rnd() % (256 * 1024);

		if (len > size - off)
			len = size - off;
		if (check_bytes(t, off, p + off, len, "mmap", name))
			bad = 1;
	}
	for (i = size; i < maplen && !bad; i++)
		if (p[i]) {
			fail(C_FAIL, "%s: mmap: byte %zu past EOF is not zero", name, i);
			bad = 1;
		}
	bus_armed = 0;
	munmap(p, maplen);
	return bad ? -1 : 0;
}

static int check_splice(int fd, int t, const char *name)
{
	static uint8_t buf[65536];
	loff_t off = tab[t].size ? rnd() % tab[t].size : 0, end;
	int p[2], ret = 0;

	end = off + 1 + rnd() % (512 * 1024);
	if (end > (loff_t)tab[t].size)
		end = tab[t].size;
	if (pipe(p))
		return -1;
	while (off < end) {
		loff_t at = off;
		ssize_t n = splice(fd, &off, p[1], NULL, end - off > 65536 ? 65536 : end - off, 0);
		ssize_t got = 0;

		if (n < 0) {
			fail(errno == EIO ? C_EIO : C_FAIL, "%s: splice at %lld: %s", name,
			     (long long)at, strerror(errno));
			ret = -1;
			break;
		}
		if (n == 0) {
			fail(C_FAIL, "%s: splice ended at %lld before %lld", name, (long long)at,
			     (long long)end);
			ret = -1;
			break;
		}
		while (got < n) {
			ssize_t r = read(p[0], buf + got, n - got);

			if (r <= 0)
				break;
			got += r;
		}
		if (got != n || check_bytes(t, at, buf, n, "splice", name)) {
			ret = -1;
			break;
		}
	}
	close(p[0]);
	close(p[1]);
	return ret;
}

static uint64_t tree_size(int t)
{
	uint64_t blocks = (tab[t].size + tab[t].bs - 1) / tab[t].bs, total = 0;
	unsigned int per = tab[t].bs / (tab[t].alg == 2 ? 64 : 32);

	if (tab[t].size <= tab[t].bs)
		return 0;
	while (blocks > 1) {
		blocks = (blocks + per - 1) / per;
		total += blocks;
	}
	return total * tab[t].bs;
}

/* The descriptor's fields against the template; the whole tree's length. */
static int check_metadata(int fd, int t, const char *name)
{
	static uint8_t buf[65536];
	struct vx_readmeta_arg a;
	uint64_t got = 0, want = tree_size(t);
	uint64_t dsize;
	ssize_t n;

	memset(&a, 0, sizeof(a));
	a.type = 2;
	a.length = 4096;
	a.buf_ptr = (uintptr_t)buf;
	n = ioctl(fd, VX_IOC_READMETA, &a);
	if (n != 256) {
		fail(C_FAIL, "%s: descriptor: %zd (%s)", name, n, n < 0 ? strerror(errno) : "size");
		return -1;
	}
	memcpy(&dsize, buf + 8, 8);
	if (buf[0] != 1 || buf[1] != tab[t].alg || (1U << buf[2]) != tab[t].bs ||
	    buf[3] != tab[t].salt_len || dsize != tab[t].size ||
	    memcmp(buf + 80, tab[t].salt, tab[t].salt_len)) {
		fail(C_FAIL, "%s: descriptor fields differ from the template", name);
		return -1;
	}
	a.type = 1;
	for (;;) {
		a.offset = got;
		a.length = 1 + rnd() % sizeof(buf);
		n = ioctl(fd, VX_IOC_READMETA, &a);
		if (n < 0) {
			fail(C_FAIL, "%s: tree at %llu: %s", name, (unsigned long long)got,
			     strerror(errno));
			return -1;
		}
		if (!n)
			break;
		got += n;
	}
	if (got != want) {
		fail(C_FAIL, "%s: tree is %llu bytes, want %llu", name, (unsigned long long)got,
		     (unsigned long long)want);
		return -1;
	}
	return 0;
}

/* ---- names ------------------------------------------------------------- */

/* A random dK/<prefix>T-U into PATH (relative); its template in *T. */
static int pick(char prefix, char *path, size_t len, int *t)
{
	char names[256][256];
	int n = 0, k = rnd() % NDIRS, i;
	char dir[4096];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/d%d", mnt, k);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != prefix)
			continue;
		if (n < 256)
			snprintf(names[n++], 256, "%s", de->d_name);
		else if (rnd() % 4 == 0)
			snprintf(names[rnd() % 256], 256, "%s", de->d_name);
	}
	closedir(d);
	if (!n)
		return -1;
	i = rnd() % n;
	*t = atoi(names[i] + 1);
	if (*t < 0 || *t >= ntab)
		return -1;
	snprintf(path, len, "d%d/%s", k, names[i]);
	return 0;
}

static int write_template(int fd, int t)
{
	uint64_t off = 0;

	while (off < tab[t].size) {
		size_t n = 1 + rnd() % CHUNK;

		if (n > tab[t].size - off)
			n = tab[t].size - off;
		gen(tab[t].seed, off, expbuf, n);
		if (pwrite(fd, expbuf, n, off) != (ssize_t)n)
			return -1;
		off += n;
	}
	return 0;
}

/* ---- workers ----------------------------------------------------------- */

static void w_enable(const char *root, int from_mount2)
{
	char tmp[4096], dst[4096];
	int t = rnd() % ntab, fd, wfd = -1;
	long u = next_uniq();

	if (sh->pop > pop_limit) {
		usleep(50000);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/tmp/e%d-%ld", root, getpid(), u);
	fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY, 0644);
	if (fd < 0) {
		fail(C_FAIL, "%s: create: %s", tmp, strerror(errno));
		return;
	}
	if (write_template(fd, t) || (rnd() % 4 == 0 && fsync(fd))) {
		fail(C_FAIL, "%s: write: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	fd = open(tmp, O_RDONLY);
	if (fd < 0) {
		fail(C_FAIL, "%s: open: %s", tmp, strerror(errno));
		unlink(tmp);
		return;
	}
	if (rnd() % 8 == 0) {
		/* A writer elsewhere: ETXTBSY, and the file stays plain. */
		wfd = open(tmp, O_WRONLY);
		if (wfd >= 0 && (enable_fd(fd, t) == 0 || errno != ETXTBSY))
			fail(C_FAIL, "%s: enable with a writer: %s, want ETXTBSY", tmp,
			     strerror(errno));
		else
			count(C_ENABLE_EXPECTED_ERR, 1);
		if (wfd >= 0)
			close(wfd);
	}
	if (enable_fd(fd, t)) {
		fail(C_FAIL, "%s: enable (template %d): %s", tmp, t, strerror(errno));
		close(fd);
		unlink(tmp);
		return;
	}
	count(C_ENABLE, 1);
	check_measure(fd, t, tmp);
	if (rnd() % 8 == 0) {
		wfd = -1;
		if (enable_fd(fd, t) == 0 || errno != EEXIST)
			fail(C_FAIL, "%s: second enable: %s, want EEXIST", tmp, strerror(errno));
		else if ((wfd = open(tmp, O_WRONLY)) >= 0 || errno != EPERM)
			fail(C_FAIL, "%s: open for write of a verity file: %s, want EPERM", tmp,
			     wfd >= 0 ? "success" : strerror(errno));
		else
			count(C_ENABLE_EXPECTED_ERR, 1);
		if (wfd >= 0)
			close(wfd);
	}
	close(fd);
	if (from_mount2) {
		/* The first mount must know: a new open there is verity. */
		snprintf(tmp, sizeof(tmp), "%s/tmp/e%d-%ld", mnt, getpid(), u);
		fd = open(tmp, O_RDONLY);
		if (fd < 0 || is_verity(fd) != 1 || check_measure(fd, t, tmp))
			fail(C_FAIL, "%s: enabled through the second mount, not verity through the first",
			     tmp);
		if (fd >= 0)
			close(fd);
	}
	snprintf(dst, sizeof(dst), "%s/d%d/v%d-%ld", mnt, (int)(rnd() % NDIRS), t, u);
	if (rename(tmp, dst))
		fail(C_FAIL, "rename %s to %s: %s", tmp, dst, strerror(errno));
	else
		__atomic_add_fetch(&sh->pop, 1, __ATOMIC_RELAXED);
}

static int open_named(const char *root, const char *rel, int flags, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/%s", root, rel);
	fd = open(path, flags);
	if (fd < 0 && errno == ENOENT)
		count(C_RACE, 1);
	else if (fd < 0)
		fail(C_FAIL, "%s: open: %s", path, strerror(errno));
	return fd;
}

static void w_vread(const char *root)
{
	char rel[1024], path[4096];
	int t, fd, how = rnd() % 6, direct = how == 3;
	struct stat st;

	if (pick('v', rel, sizeof(rel), &t))
		return;
	fd = open_named(root, rel, O_RDONLY | (direct ? O_DIRECT : 0), path, sizeof(path));
	if (fd < 0)
		return;
	if (fstat(fd, &st) || (unsigned long)st.st_size != tab[t].size)
		fail(C_FAIL, "%s: size %lld, template %lu", path, (long long)st.st_size, tab[t].size);
	else if (is_verity(fd) != 1)
		fail(C_FAIL, "%s: FS_IOC_GETFLAGS has no FS_VERITY_FL", path);
	else if (!check_measure(fd, t, path)) {
		switch (how) {
		case 0:
		case 1:
			if (!check_whole(fd, t, path, 0))
				count(C_VREAD, 1);
			break;
		case 2:
			if (!check_mmap(fd, t, path))
				count(C_VMMAP, 1);
			break;
		case 3:
			if (!check_whole(fd, t, path, 1))
				count(C_VDIRECT, 1);
			break;
		case 4:
			if (!check_splice(fd, t, path))
				count(C_VSPLICE, 1);
			break;
		default:
			if (!check_metadata(fd, t, path))
				count(C_VMETA, 1);
			break;
		}
	}
	close(fd);
}

static void w_pread(void)
{
	char rel[1024], path[4096];
	int t, fd, direct = plain_direct && rnd() % 4 == 0;
	struct stat st;

	if (pick('p', rel, sizeof(rel), &t))
		return;
	fd = open_named(mnt, rel, O_RDONLY | (direct ? O_DIRECT : 0), path, sizeof(path));
	if (fd < 0)
		return;
	if (fstat(fd, &st) || (unsigned long)st.st_size != tab[t].size)
		fail(C_FAIL, "%s: size %lld, template %lu", path, (long long)st.st_size, tab[t].size);
	else if (is_verity(fd) != 0)
		fail(C_FAIL, "%s: a plain file says it is verity", path);
	else if (!(rnd() % 2 ? check_whole(fd, t, path, direct) : check_mmap(fd, t, path)))
		count(C_PREAD, 1);
	close(fd);
}

/* A plain file made aside and renamed into place, new or over one of its kind. */
static void w_preplace(void)
{
	char tmp[4096], dst[4096], rel[1024];
	int t, fd, over = 0;
	long u = next_uniq();

	if (rnd() % 2 == 0 && !pick('p', rel, sizeof(rel), &t)) {
		snprintf(dst, sizeof(dst), "%s/%s", mnt, rel);
		over = 1;
	} else {
		if (sh->pop > pop_limit)
			return;
		t = rnd() % ntab;
		snprintf(dst, sizeof(dst), "%s/d%d/p%d-%ld", mnt, (int)(rnd() % NDIRS), t, u);
	}
	snprintf(tmp, sizeof(tmp), "%s/tmp/w%d-%ld", mnt, getpid(), u);
	fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY, 0644);
	if (fd < 0) {
		fail(C_FAIL, "%s: create: %s", tmp, strerror(errno));
		return;
	}
	if (write_template(fd, t) || (rnd() % 4 == 0 && fdatasync(fd)))
		fail(C_FAIL, "%s: write: %s", tmp, strerror(errno));
	close(fd);
	if (rename(tmp, dst)) {
		fail(C_FAIL, "rename %s to %s: %s", tmp, dst, strerror(errno));
		unlink(tmp);
		return;
	}
	if (!over)
		__atomic_add_fetch(&sh->pop, 1, __ATOMIC_RELAXED);
	count(C_PREPLACE, 1);
}

/* fsx in miniature on the writer's own plain file, checked against a model. */
static void w_fsx(int id)
{
	enum { MAX = 256 * 1024 };
	static uint8_t *model, *buf;
	static size_t msize;
	char path[4096];
	int fd, i;

	if (!model) {
		model = calloc(1, MAX);
		buf = malloc(MAX);
	}
	snprintf(path, sizeof(path), "%s/d%d/w%d", mnt, id % NDIRS, id);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		fail(C_FAIL, "%s: open: %s", path, strerror(errno));
		return;
	}
	for (i = 0; i < 8; i++) {
		size_t off = rnd() % MAX, len = 1 + rnd() % 32768, j;

		if (off + len > MAX)
			len = MAX - off;
		switch (rnd() % 4) {
		case 0:
		case 1:
			for (j = 0; j < len; j++)
				buf[j] = (uint8_t)rnd();
			if (pwrite(fd, buf, len, off) != (ssize_t)len) {
				fail(C_FAIL, "%s: pwrite: %s", path, strerror(errno));
				goto out;
			}
			memcpy(model + off, buf, len);
			if (off + len > msize)
				msize = off + len;
			break;
		case 2:
			if (ftruncate(fd, off)) {
				fail(C_FAIL, "%s: ftruncate: %s", path, strerror(errno));
				goto out;
			}
			/* The model keeps zeros past its size, as the file's holes read. */
			if (off < msize)
				memset(model + off, 0, msize - off);
			msize = off;
			break;
		default:
			if (msize > 0) {
				uint8_t *p = mmap(NULL, msize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

				if (p == MAP_FAILED) {
					fail(C_FAIL, "%s: mmap: %s", path, strerror(errno));
					goto out;
				}
				off %= msize;
				if (off + len > msize)
					len = msize - off;
				for (j = 0; j < len; j++)
					p[off + j] = model[off + j] = (uint8_t)rnd();
				munmap(p, msize);
			}
			break;
		}
	}
	if (pread(fd, buf, MAX, 0) != (ssize_t)msize || memcmp(buf, model, msize))
		fail(C_FAIL, "%s: contents differ from the writer's model (size %zu)", path, msize);
	else
		count(C_FSX, 1);
out:
	close(fd);
}

/* Rename a verity file over another name of the same template in its directory. */
static void rename_over(const char *rel, int t)
{
	char dir[1024], from[4096], to[4096], want[32];
	const char *slash = strchr(rel, '/');
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%.*s", mnt, (int)(slash - rel), rel);
	snprintf(want, sizeof(want), "v%d-", t);
	d = opendir(dir);
	while (d && (de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, want, strlen(want)) && strcmp(de->d_name, slash + 1))
			break;
	if (d && de) {
		snprintf(from, sizeof(from), "%s/%s", mnt, rel);
		snprintf(to, sizeof(to), "%s/%s", dir, de->d_name);
		if (rename(from, to) == 0) {
			__atomic_sub_fetch(&sh->pop, 1, __ATOMIC_RELAXED);
			count(C_RENAME_OVER, 1);
		} else if (errno == ENOENT) {
			count(C_RACE, 1);
		} else {
			fail(C_FAIL, "rename %s over %s: %s", from, to, strerror(errno));
		}
	}
	if (d)
		closedir(d);
}

static void w_names(void)
{
	char rel[1024], from[4096], to[4096];
	char prefix = rnd() % 3 ? 'v' : 'p';
	int t, op = rnd() % 8;

	if (pick(prefix, rel, sizeof(rel), &t))
		return;
	snprintf(from, sizeof(from), "%s/%s", mnt, rel);
	snprintf(to, sizeof(to), "%s/d%d/%c%d-%ld", mnt, (int)(rnd() % NDIRS), prefix, t,
		 next_uniq());
	if (sh->pop > pop_limit * 9 / 10 || op < 3) {
		if (unlink(from) == 0) {
			__atomic_sub_fetch(&sh->pop, 1, __ATOMIC_RELAXED);
			count(C_UNLINK, 1);
		} else if (errno == ENOENT) {
			count(C_RACE, 1);
		} else {
			fail(C_FAIL, "unlink %s: %s", from, strerror(errno));
		}
	} else if (op < 6) {
		if (rename(from, to) == 0)
			count(C_RENAME, 1);
		else if (errno == ENOENT)
			count(C_RACE, 1);
		else
			fail(C_FAIL, "rename %s %s: %s", from, to, strerror(errno));
	} else if (op == 6 && prefix == 'v') {
		rename_over(rel, t);
	} else {
		if (link(from, to) == 0) {
			__atomic_add_fetch(&sh->pop, 1, __ATOMIC_RELAXED);
			count(C_LINK, 1);
		} else if (errno == ENOENT) {
			count(C_RACE, 1);
		} else {
			fail(C_FAIL, "link %s %s: %s", from, to, strerror(errno));
		}
	}
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			fail(C_FAIL, "write %s to %s: %s", s, path, strerror(errno));
		close(fd);
	}
}

static void w_drop(long n)
{
	static const char *const v[] = { "1", "2", "3" };

	usleep(200000 + rnd() % 1300000);
	write_file("/proc/sys/vm/drop_caches", v[rnd() % 3]);
	/* The cache budget itself moves between one and two MiB. */
	if (n % 8 == 0)
		write_file("/sys/module/verityfs/parameters/hash_cache_mb", rnd() % 2 ? "1" : "2");
	count(C_DROP, 1);
}

static long mem_available_kb(void)
{
	char line[256];
	long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static void w_hog(void)
{
	size_t len = (size_t)mem_available_kb() * 1024 / 2, i;
	uint8_t *p;

	if (len < (16 << 20)) {
		usleep(500000);
		return;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return;
	for (i = 0; i < len && !sh->stop; i += 4096)
		p[i] = 1;
	usleep(300000 + rnd() % 700000);
	munmap(p, len);
	count(C_HOG, 1);
	usleep(300000);
}

/* A second verityfs mount of the same lower: reads, an enable, umount. */
static void w_mount2(void)
{
	char rel[1024], path[4096];
	int i, t, fd;

	if (mount(lower, mnt2, "verityfs", 0, NULL)) {
		fail(C_FAIL, "mount %s on %s: %s", lower, mnt2, strerror(errno));
		sleep(1);
		return;
	}
	for (i = 0; i < 3 && !sh->stop; i++) {
		if (pick('v', rel, sizeof(rel), &t))
			continue;
		fd = open_named(mnt2, rel, O_RDONLY, path, sizeof(path));
		if (fd < 0)
			continue;
		if (!check_measure(fd, t, path))
			check_whole(fd, t, path, 0);
		close(fd);
	}
	if (!sh->stop)
		w_enable(mnt2, 1);
	for (i = 0; umount2(mnt2, 0); i++) {
		if (errno != EBUSY || i == 100) {
			fail(C_FAIL, "umount %s: %s", mnt2, strerror(errno));
			umount2(mnt2, MNT_DETACH);
			break;
		}
		usleep(20000);
	}
	count(C_MOUNT2, 1);
	usleep(100000);
}

/*
 * The detectors' own test (-X, case broken-stress): change one byte of a
 * plain file and of a verity file's data on the lower, behind the mount,
 * every second. The readers must then count wrong bytes and EIO.
 */
static void w_inject(void)
{
	char rel[1024], p[4096];
	int t, fd, i;

	sleep(1);
	for (i = 0; i < 2; i++) {
		if (pick(i ? 'v' : 'p', rel, sizeof(rel), &t) || !tab[t].size)
			continue;
		snprintf(p, sizeof(p), "%s/%s", lower, rel);
		fd = open(p, O_RDWR);
		if (fd >= 0) {
			uint8_t b;
			off_t at = rnd() % tab[t].size;

			if (pread(fd, &b, 1, at) == 1) {
				b ^= 0x40;
				if (pwrite(fd, &b, 1, at) == 1)
					count(C_INJECT, 1);
			}
			close(fd);
		}
	}
	write_file("/proc/sys/vm/drop_caches", "3");
}

enum { R_ENABLE, R_VREAD, R_PREAD, R_PWRITE, R_NAMES, R_DROP, R_HOG, R_MOUNT2, R_INJECT };
static const char *const rname[] = {
	"enable", "vread", "pread", "pwrite", "names", "drop", "hog", "mount2", "inject",
};
static int inject;

static void worker(int role, int id)
{
	long n = 0;

	rs = mix64(rs + 0x1234567 * (id + 1)) | 1;
	if (role == R_HOG)
		write_file("/proc/self/oom_score_adj", "1000");
	while (!sh->stop) {
		switch (role) {
		case R_ENABLE:
			w_enable(mnt, 0);
			break;
		case R_VREAD:
			w_vread(mnt);
			break;
		case R_PREAD:
			w_pread();
			break;
		case R_PWRITE:
			if (rnd() % 2)
				w_preplace();
			else
				w_fsx(id);
			break;
		case R_NAMES:
			w_names();
			usleep(rnd() % 20000);
			break;
		case R_DROP:
			w_drop(n);
			break;
		case R_HOG:
			w_hog();
			break;
		case R_MOUNT2:
			w_mount2();
			break;
		case R_INJECT:
			w_inject();
			break;
		}
		n++;
	}
	exit(0);
}

static void print_counts(const char *tag, double secs)
{
	long ops = 0;
	int i;

	for (i = 0; i < C_RACE; i++)
		ops += sh->c[i];
	printf("# %s seconds=%.0f ops=%ld ops_per_s=%.1f", tag, secs, ops, secs > 0 ? ops / secs : 0);
	for (i = 0; i < NC; i++)
		printf(" %s=%ld", cname[i], sh->c[i]);
	printf("\n");
	fflush(stdout);
}

static void make_dirs(void)
{
	char p[4096];
	int k;

	for (k = 0; k < NDIRS; k++) {
		snprintf(p, sizeof(p), "%s/d%d", mnt, k);
		mkdir(p, 0755);
	}
	snprintf(p, sizeof(p), "%s/tmp", mnt);
	mkdir(p, 0755);
}

/*
 * Every worker runs until the time is up; a worker killed by a signal is a
 * failure (the memory hog may be chosen by the OOM killer: that is counted).
 */
static int run_stress(double secs)
{
	static const int roles[][2] = {
		{ R_ENABLE, 2 }, { R_VREAD, 3 }, { R_PREAD, 1 }, { R_PWRITE, 1 },
		{ R_NAMES, 1 }, { R_DROP, 1 }, { R_HOG, 1 }, { R_MOUNT2, 1 }, { R_INJECT, 1 },
	};
	pid_t pids[32];
	int who[32], n = 0, i, j, status;
	double start = now(), last = start;

	make_dirs();
	for (i = 0; i < (int)(sizeof(roles) / sizeof(roles[0])); i++) {
		if ((roles[i][0] == R_MOUNT2 && !mnt2) || (roles[i][0] == R_INJECT && !inject))
			continue;
		for (j = 0; j < roles[i][1]; j++) {
			pids[n] = fork();
			if (pids[n] == 0)
				worker(roles[i][0], n);
			who[n++] = roles[i][0];
		}
	}
	while (now() - start < secs && sh->c[C_FAIL] < 20) {
		sleep(1);
		if (now() - last >= 60) {
			last = now();
			print_counts("stress progress", last - start);
		}
		if (waitpid(-1, &status, WNOHANG) > 0) {
			printf("FAIL a worker ended early (status %#x)\n", status);
			count(C_FAIL, 1);
		}
	}
	sh->stop = 1;
	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i])
			continue;
		if (WIFSIGNALED(status) && !(who[i] == R_HOG && WTERMSIG(status) == SIGKILL)) {
			printf("FAIL worker %s died of signal %d\n", rname[who[i]], WTERMSIG(status));
			count(C_FAIL, 1);
		} else if (WIFSIGNALED(status)) {
			printf("# the memory hog was killed by the OOM killer\n");
		}
	}
	print_counts("stress", now() - start);
	return sh->c[C_FAIL] ? 1 : 0;
}

/* ---- whole-tree check -------------------------------------------------- */

struct tally {
	long v, p_plain, p_verity, w, bad, objects, records, orphans, missing;
};

static void check_one(const char *path, const char *base, int after_crash, struct tally *ty)
{
	int t = atoi(base + 1), fd, ver;

	if (base[0] == 'w') {
		ty->w++;
		return;
	}
	if ((base[0] != 'v' && base[0] != 'p') || t < 0 || t >= ntab)
		return;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fail(C_FAIL, "%s: open: %s", path, strerror(errno));
		ty->bad++;
		return;
	}
	ver = is_verity(fd);
	if (ver < 0) {
		fail(C_FAIL, "%s: FS_IOC_GETFLAGS: %s", path, strerror(errno));
		ty->bad++;
	} else if (ver && check_measure(fd, t, path)) {
		ty->bad++;
	} else if (check_whole(fd, t, path, 0)) {
		ty->bad++;
	} else if (base[0] == 'v' && !ver) {
		fail(C_FAIL, "%s: a file enabled before it was renamed is not verity", path);
		ty->bad++;
	} else if (base[0] == 'v') {
		ty->v++;
	} else if (ver && !after_crash) {
		fail(C_FAIL, "%s: a plain file is verity", path);
		ty->bad++;
	} else if (ver) {
		ty->p_verity++;
	} else {
		ty->p_plain++;
	}
	close(fd);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Records on the lower (one per inode) against the objects in the store. */
static void count_store(const char *dir, uint64_t **ids, long *nids, long *cap, ino_t *seen,
			long *nseen)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)) != NULL) {
		char p[4096];
		uint8_t rec[128];
		struct stat st;
		long i;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			count_store(p, ids, nids, cap, seen, nseen);
			continue;
		}
		if (!S_ISREG(st.st_mode) || lgetxattr(p, "trusted.verityfs", rec, sizeof(rec)) < 16)
			continue;
		for (i = 0; i < *nseen && seen[i] != st.st_ino; i++)
			;
		if (i < *nseen || *nseen >= 65536)
			continue;
		seen[(*nseen)++] = st.st_ino;
		if (*nids == *cap) {
			*cap = *cap * 2 + 64;
			*ids = realloc(*ids, *cap * sizeof(**ids));
		}
		memcpy(&(*ids)[(*nids)++], rec + 8, 8);
	}
	if (d)
		closedir(d);
}

static int run_check(int after_crash, const char *tag)
{
	static ino_t seen[65536];
	struct tally ty = { 0 };
	uint64_t *ids = NULL;
	long nids = 0, cap = 0, nseen = 0, i;
	char dir[2048], p[4096];
	struct dirent *de;
	DIR *d;
	int k;

	for (k = 0; k < NDIRS; k++) {
		snprintf(dir, sizeof(dir), "%s/d%d", mnt, k);
		d = opendir(dir);
		while (d && (de = readdir(d)) != NULL) {
			snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
			check_one(p, de->d_name, after_crash, &ty);
		}
		if (d)
			closedir(d);
	}
	/* In the crash loop tmp/ holds nothing: files are made in prep. */
	count_store(lower, &ids, &nids, &cap, seen, &nseen);
	ty.records = nids;
	qsort(ids, nids, sizeof(*ids), cmp_u64);
	snprintf(dir, sizeof(dir), "%s/.verityfs", lower);
	d = opendir(dir);
	while (d && (de = readdir(d)) != NULL) {
		uint64_t id;

		if (de->d_name[0] == '.' || strlen(de->d_name) != 16)
			continue;
		ty.objects++;
		id = strtoull(de->d_name, NULL, 16);
		if (!bsearch(&id, ids, nids, sizeof(id), cmp_u64))
			ty.orphans++;
	}
	if (d)
		closedir(d);
	ty.missing = ty.records - (ty.objects - ty.orphans);
	for (i = 1; i < nids; i++)
		if (ids[i] == ids[i - 1])
			fail(C_FAIL, "two records name object %016llx", (unsigned long long)ids[i]);
	if (ty.missing)
		fail(C_FAIL, "%ld records name no object", ty.missing);
	if (ty.orphans && !after_crash)
		fail(C_FAIL, "%ld orphan objects without a crash", ty.orphans);
	printf("# %s verity=%ld plain=%ld plain_now_verity=%ld writers=%ld records=%ld objects=%ld orphans=%ld missing=%ld bad=%ld wrong_bytes=%ld eio=%ld\n",
	       tag, ty.v, ty.p_plain, ty.p_verity, ty.w, ty.records, ty.objects, ty.orphans,
	       ty.missing, ty.bad, sh->c[C_WRONG], sh->c[C_EIO]);
	fflush(stdout);
	free(ids);
	return sh->c[C_FAIL] ? 1 : 0;
}

/* ---- crash loop -------------------------------------------------------- */

static int count_names(char prefix)
{
	char dir[4096];
	struct dirent *de;
	int k, n = 0;
	DIR *d;

	for (k = 0; k < NDIRS; k++) {
		snprintf(dir, sizeof(dir), "%s/d%d", mnt, k);
		d = opendir(dir);
		while (d && (de = readdir(d)) != NULL)
			n += de->d_name[0] == prefix;
		if (d)
			closedir(d);
	}
	return n;
}

/* Before the crash window: keep about 40 verity files, add N plain ones, all durable. */
static int run_prep(int n)
{
	char rel[1024], p[4096];
	int i, t, fd;

	make_dirs();
	while (count_names('v') > 40)
		if (!pick('v', rel, sizeof(rel), &t)) {
			snprintf(p, sizeof(p), "%s/%s", mnt, rel);
			unlink(p);
		}
	for (i = 0; i < n; i++) {
		t = rnd() % ntab;
		snprintf(p, sizeof(p), "%s/d%d/p%d-%ld", mnt, (int)(rnd() % NDIRS), t,
			 (long)(rnd() % 1000000000));
		fd = open(p, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			continue;
		if (write_template(fd, t) || fsync(fd))
			fail(C_FAIL, "%s: write: %s", p, strerror(errno));
		close(fd);
	}
	sync();
	printf("# prep verity=%d plain=%d\n", count_names('v'), count_names('p'));
	return sh->c[C_FAIL] ? 1 : 0;
}

/* Operations on one line each to OUT before and after, until killed. */
static void run_crash(FILE *out, const char *tag)
{
	char rel[1024], from[4096], to[4096];
	long n = 0;
	int t, fd;

	for (;; n++) {
		int op = rnd() % 10;
		char prefix = op < 5 ? 'p' : 'v';

		if (pick(prefix, rel, sizeof(rel), &t))
			continue;
		snprintf(from, sizeof(from), "%s/%s", mnt, rel);
		snprintf(to, sizeof(to), "%s/d%d/v%d-%ld", mnt, (int)(rnd() % NDIRS), t,
			 (long)(rnd() % 1000000000));
		if (op < 5) {
			fprintf(out, "# crashop %s %ld enable %s %lu\n", tag, n, rel, tab[t].size);
			fflush(out);
			fd = open(from, O_RDONLY);
			if (fd < 0 || enable_fd(fd, t)) {
				fprintf(out, "FAIL %s enable %s: %s\n", tag, rel, strerror(errno));
				fflush(out);
			}
			if (fd >= 0)
				close(fd);
			fprintf(out, "# crashop %s %ld rename %s\n", tag, n, rel);
			fflush(out);
			rename(from, to);
		} else if (op < 7) {
			fprintf(out, "# crashop %s %ld rename %s\n", tag, n, rel);
			fflush(out);
			rename(from, to);
		} else if (op < 8) {
			fprintf(out, "# crashop %s %ld link %s\n", tag, n, rel);
			fflush(out);
			link(from, to);
		} else {
			fprintf(out, "# crashop %s %ld unlink %s\n", tag, n, rel);
			fflush(out);
			unlink(from);
		}
		fprintf(out, "# crashop %s %ld done\n", tag, n);
		fflush(out);
	}
}

/* ---- scale ------------------------------------------------------------- */

static void scale_path(char *p, size_t len, const char *dir, long i)
{
	snprintf(p, len, "%s/s%03ld/f%05ld", dir, i / 1000, i);
}

static int run_mkmany(const char *dir, long n, int t)
{
	char p[4096];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		if (i % 1000 == 0) {
			snprintf(p, sizeof(p), "%s/s%03ld", dir, i / 1000);
			mkdir(p, 0755);
		}
		scale_path(p, sizeof(p), dir, i);
		fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd < 0 || write_template(fd, t)) {
			fail(C_FAIL, "%s: create: %s", p, strerror(errno));
			return 1;
		}
		close(fd);
		fd = open(p, O_RDONLY);
		if (fd < 0 || enable_fd(fd, t)) {
			fail(C_FAIL, "%s: enable: %s", p, strerror(errno));
			return 1;
		}
		close(fd);
	}
	return 0;
}

static int run_walk(const char *dir, long n, int t)
{
	char p[4096];
	long i;
	int fd;

	for (i = 0; i < n && sh->c[C_FAIL] < 10; i++) {
		scale_path(p, sizeof(p), dir, i);
		fd = open(p, O_RDONLY);
		if (fd < 0) {
			fail(C_FAIL, "%s: open: %s", p, strerror(errno));
			continue;
		}
		if (!check_measure(fd, t, p))
			check_whole(fd, t, p, 0);
		close(fd);
	}
	return sh->c[C_FAIL] ? 1 : 0;
}

static void on_term(int sig)
{
	(void)sig;
}

static int run_hold(const char *dir, long n, int t)
{
	char p[4096];
	long i;
	int fd;
	struct rlimit rl = { n + 64, n + 64 };

	setrlimit(RLIMIT_NOFILE, &rl);
	for (i = 0; i < n; i++) {
		scale_path(p, sizeof(p), dir, i);
		fd = open(p, O_RDONLY);
		if (fd < 0) {
			fail(C_FAIL, "%s: open: %s", p, strerror(errno));
			return 1;
		}
		if (check_measure(fd, t, p))
			return 1;
	}
	printf("# holding %ld files open\n", n);
	fflush(stdout);
	signal(SIGTERM, on_term);
	pause();
	return 0;
}

/* A name-less file reached again through an O_PATH descriptor. */
static int run_reopen(const char *path)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct vx_digest d;
	char proc[64];
	uint8_t b[65536];
	ssize_t n, i;
	int pfd, fd;

	pfd = open(path, O_PATH);
	if (pfd < 0 || unlink(path)) {
		printf("setup: %s\n", strerror(errno));
		return 1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY);
	if (fd < 0) {
		printf("open %s\n", strerrorname_np(errno));
		return 0;
	}
	memset(&d, 0, sizeof(d));
	d.size = 64;
	if (ioctl(fd, VX_IOC_MEASURE, &d)) {
		printf("measure %s\n", strerrorname_np(errno));
		return 0;
	}
	while ((n = read(fd, b, sizeof(b))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ b[i]) * 0x100000001b3ULL;
	if (n < 0) {
		printf("read %s\n", strerrorname_np(errno));
		return 0;
	}
	printf("ok ");
	for (i = 0; i < d.size; i++)
		printf("%02x", d.digest[i]);
	printf(" %016llx\n", (unsigned long long)h);
	return 0;
}

/* ---- main -------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: see the head of vx-stress.c\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int i, o;

	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	expbuf = malloc(CHUNK);
	if (sh == MAP_FAILED || !expbuf)
		return 3;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	rs = 88172645463325252ULL;

	if (!strcmp(argv[1], "templates")) {
		for (i = 0; i < NTEMPLATES; i++) {
			struct tmpl p;
			unsigned int j;

			template_params(i, &p);
			printf("%d %lu %s %u ", i, p.size, p.alg == 2 ? "sha512" : "sha256", p.bs);
			for (j = 0; j < p.salt_len; j++)
				printf("%02x", p.salt[j]);
			printf("%s %llu\n", p.salt_len ? "" : "-", (unsigned long long)p.seed);
		}
		return 0;
	}
	if (!strcmp(argv[1], "gen") && argc == 4) {
		unsigned long size = strtoul(argv[2], NULL, 0), off = 0;
		uint64_t seed = strtoull(argv[3], NULL, 0);

		while (off < size) {
			size_t n = size - off > CHUNK ? CHUNK : size - off;

			gen(seed, off, expbuf, n);
			if (fwrite(expbuf, 1, n, stdout) != n)
				return 1;
			off += n;
		}
		return 0;
	}
	if (!strcmp(argv[1], "reopen") && argc == 3)
		return run_reopen(argv[2]);
	if (argc < 4)
		usage();
	load_table(argv[2]);
	mnt = argv[3];
	if (!strcmp(argv[1], "run") && argc >= 6) {
		lower = argv[4];
		optind = 6;
		while ((o = getopt(argc, argv, "2:s:p:DX")) != -1) {
			switch (o) {
			case '2':
				mnt2 = optarg;
				break;
			case 's':
				rs = mix64(strtoull(optarg, NULL, 0)) | 1;
				break;
			case 'p':
				pop_limit = atol(optarg);
				break;
			case 'D':
				plain_direct = 0;
				break;
			case 'X':
				inject = 1;
				break;
			default:
				usage();
			}
		}
		return run_stress(atof(argv[5]));
	}
	if (!strcmp(argv[1], "check") && argc >= 5) {
		lower = argv[4];
		return run_check(argc > 5 && !strcmp(argv[5], "-c"),
				 argc > 5 ? "crashcheck" : "check");
	}
	if (!strcmp(argv[1], "prep") && argc == 6) {
		rs = mix64(strtoull(argv[5], NULL, 0)) | 1;
		return run_prep(atoi(argv[4]));
	}
	if (!strcmp(argv[1], "crash") && argc == 6) {
		rs = mix64(strtoull(argv[4], NULL, 0)) | 1;
		run_crash(stdout, argv[5]);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "mkmany"))
		return run_mkmany(mnt, atol(argv[4]), atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "walk"))
		return run_walk(mnt, atol(argv[4]), atoi(argv[5]));
	if (argc == 6 && !strcmp(argv[1], "hold"))
		return run_hold(mnt, atol(argv[4]), atoi(argv[5]));
	usage();
	return 2;
}
