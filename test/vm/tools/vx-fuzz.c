// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-fuzz: hostile input for verityfs: random ioctls (native and 32-bit
 * entry), random mount options and parameters, random damage to the
 * metadata store, each with its own oracle.
 *
 *   vx-fuzz ioctl VFSDIR NATIVEDIR N SEED
 *       N random ioctl calls on verity and plain files and a directory of
 *       VFSDIR (a verityfs mount), the fs-verity ones made again on the twin
 *       files of NATIVEDIR (native ext4 fs-verity): their results must agree
 *       (upstream's errnos, digests and metadata bytes). Other numbers, random
 *       ones included, run on verityfs only: any errno but no crash.
 *   vx-fuzz mount LOWER MNT N SEED
 *       N random mounts (mount(2) options and flags, fsopen/fsconfig
 *       parameters of every type), stacked mounts and remounts.
 *   vx-fuzz damage TAB MNT LOWER ROUNDS SEED
 *       ROUNDS verity files, each with its object or record damaged on the
 *       lower (bytes of the header, descriptor or tree changed, cut, grown,
 *       replaced by another file's or by a directory, record bytes changed,
 *       cut or grown), then open, measure, read, dump: a damaged file never
 *       reads other bytes than its own, and a refused open logs a line.
 *
 * Each prints "# ..." histogram lines and "FAIL ..." lines; exit 1 on a failure.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "vx-abi.h"

#define IOC_ENABLE	0x40806685U
#define IOC_MEASURE	0xc0046686U
#define IOC_READMETA	0xc0286687U
#define IOC_GETFLAGS	0x80086601U
#define IOC_SETFLAGS	0x40086602U
#define IOC32_GETFLAGS	0x80046601U
#define IOC32_SETFLAGS	0x40046602U
#define IOC_GETVERSION	0x80087601U
#define IOC32_GETVERSION 0x80047601U
#define IOC_FSGETXATTR	0x801c581fU
#define IOC_FSSETXATTR	0x401c5820U
#define IOC_FIEMAP	0xc020660bU
#define IOC_FIGETBSZ	0x00000002U
#define IOC_FIBMAP	0x00000001U
#define IOC_FIONREAD	0x541bU
#define IOC_FIOQSIZE	0x5460U
#define IOC_FICLONE	0x40049409U
#define IOC_FICLONERANGE 0x4020940dU
#define IOC_FIDEDUPERANGE 0xc0189436U
#define IOC_GETFSUUID	0x80111500U
#define IOC_GETFSLABEL	0x81009431U
#define IOC_FIFREEZE	0xc0045877U
#define IOC_FITHAW	0xc0045878U
#define IOC_RESVSP	0x40305828U

static uint64_t rs;
static long fails;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 2685821657736338717ULL;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	if (++fails > 40)
		return;
	printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- histograms: "what errno" counted per label ---------------------- */

struct hent {
	char key[64];
	long n;
};
static struct hent hist[512];
static int nhist;

static void hcount(const char *label, int err)
{
	char key[64];
	int i;

	snprintf(key, sizeof(key), "%s %s", label, err ? strerrorname_np(err) ?: "E?" : "ok");
	for (i = 0; i < nhist; i++)
		if (!strcmp(hist[i].key, key))
			break;
	if (i == nhist) {
		if (nhist == 512)
			return;
		snprintf(hist[nhist++].key, sizeof(hist[0].key), "%s", key);
	}
	hist[i].n++;
}

static void hprint(const char *tag)
{
	int i;

	for (i = 0; i < nhist; i++)
		printf("# %s %s %ld\n", tag, hist[i].key, hist[i].n);
}

/* ---- memory the fuzzer points the kernel at -------------------------- */

static uint8_t *good, *ro, *guard;	/* all below 4 GiB, for the 32-bit entry */
#define GOOD_SIZE (1 << 20)

static void map_buffers(void)
{
	good = mmap(NULL, GOOD_SIZE + 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (good == MAP_FAILED || ro == MAP_FAILED) {
		perror("mmap");
		exit(3);
	}
	/* The page after good[] is unmapped: structures may straddle into it. */
	guard = good + GOOD_SIZE;
	munmap(guard, 4096);
}

/* A pointer for NEED bytes: mostly good, sometimes hostile. */
static uint64_t rptr(size_t need)
{
	switch (rnd() % 12) {
	case 0:
		return 0;
	case 1:
		return 0xfffff000ULL;		/* unmapped, and the top of 32 bits */
	case 2:
		return (uintptr_t)guard - (need ? 1 + rnd() % need : 0);
	case 3:
		return (uintptr_t)ro;
	case 4:
		return 0xffff888000000000ULL;	/* a kernel address */
	default:
		return (uintptr_t)good + (rnd() % 2 ? 0 : rnd() % 4096);
	}
}

static const uint64_t edges[] = {
	0, 1, 2, 31, 32, 33, 63, 64, 255, 256, 4095, 4096, 4097, 65535, 65536,
	0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL, 1ULL << 40,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xfffffffffffff000ULL, ~0ULL,
};
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

static uint64_t rval(void)
{
	return rnd() % 3 ? edges[rnd() % NEDGES] : rnd() >> (rnd() % 64);
}

/*
 * The argument of one call, built once and copied into place for each of
 * the two filesystems: the same bytes at the same address.
 */
struct call {
	unsigned int cmd;
	int compat;
	uint64_t arg;		/* the pointer or value passed */
	uint8_t bytes[512];	/* what is at good[off] before the call */
	size_t len;
	size_t off;
};

static void put_struct(struct call *c, const void *s, size_t len)
{
	c->len = len;
	memcpy(c->bytes, s, len);
	switch (rnd() % 10) {
	case 0:
		c->arg = rptr(len);	/* hostile: NULL, unmapped, read-only ... */
		c->off = 0;
		break;
	case 1:
		c->off = GOOD_SIZE - 1 - rnd() % len;	/* straddles the unmapped page */
		c->arg = (uintptr_t)good + c->off;
		break;
	default:
		c->off = rnd() % 2 ? 0 : 8192 + rnd() % 4096;
		c->arg = (uintptr_t)good + c->off;
		break;
	}
}

static void build_enable(struct call *c)
{
	static const uint32_t algs[] = { 1, 1, 1, 2, 2, 0, 3, 257 };
	static const uint32_t bss[] = { 4096, 4096, 4096, 1024, 2048, 512, 0, 1, 8192, 65536, 3000 };
	struct vx_enable_arg a;
	int i;

	memset(&a, 0, sizeof(a));
	a.version = rnd() % 10 ? 1 : (uint32_t)rval();
	a.hash_algorithm = rnd() % 10 ? algs[rnd() % 8] : (uint32_t)rval();
	a.block_size = rnd() % 10 ? bss[rnd() % 11] : (uint32_t)rval();
	a.salt_size = rnd() % 3 ? rnd() % 33 : (uint32_t)rval();
	a.salt_ptr = rptr(a.salt_size);
	if (rnd() % 5 == 0) {
		a.sig_size = rnd() % 2 ? 1 + rnd() % 300 : (uint32_t)rval();
		a.sig_ptr = rptr(a.sig_size);
	}
	if (rnd() % 20 == 0)
		a.reserved1 = (uint32_t)rval();
	if (rnd() % 20 == 0)
		a.reserved2[rnd() % 11] = rval() | 1;
	/* Salt and signature bytes: whatever good[] holds (random, set below). */
	for (i = 0; i < 300; i++)
		good[65536 + i] = (uint8_t)rnd();
	if (a.salt_ptr == (uintptr_t)good || a.sig_ptr == (uintptr_t)good) {
		if (a.salt_ptr == (uintptr_t)good)
			a.salt_ptr += 65536;
		if (a.sig_ptr == (uintptr_t)good)
			a.sig_ptr += 65536;
	}
	c->cmd = IOC_ENABLE;
	put_struct(c, &a, sizeof(a));
}

static void build_measure(struct call *c)
{
	static const uint16_t sizes[] = { 0, 1, 31, 32, 33, 63, 64, 65, 65535 };
	uint16_t hdr[2] = { (uint16_t)rnd(), sizes[rnd() % 9] };

	c->cmd = IOC_MEASURE;
	put_struct(c, hdr, sizeof(hdr));
}

static void build_readmeta(struct call *c)
{
	struct vx_readmeta_arg a;

	a.type = rnd() % 8 ? 1 + rnd() % 3 : rval();
	a.offset = rnd() % 2 ? rnd() % 8192 : rval();
	a.length = rnd() % 2 ? rnd() % 70000 : rval();
	a.buf_ptr = rptr(a.length > 4096 ? 4096 : a.length);
	if (a.buf_ptr == (uintptr_t)good)
		a.buf_ptr += 131072;	/* past the argument itself */
	a.reserved = rnd() % 20 ? 0 : rval();
	c->cmd = IOC_READMETA;
	put_struct(c, &a, sizeof(a));
}

/* Other ioctls: verityfs's own, the VFS's, and random numbers. */
static void build_other(struct call *c)
{
	static const unsigned int cmds[] = {
		IOC_GETFLAGS, IOC_SETFLAGS, IOC32_GETFLAGS, IOC32_SETFLAGS, IOC_GETVERSION,
		IOC32_GETVERSION, IOC_FSGETXATTR, IOC_FSSETXATTR, IOC_FIEMAP, IOC_FIGETBSZ,
		IOC_FIBMAP, IOC_FIONREAD, IOC_FIOQSIZE, IOC_FICLONE, IOC_FICLONERANGE,
		IOC_FIDEDUPERANGE, IOC_GETFSUUID, IOC_GETFSLABEL, IOC_RESVSP, IOC_FIFREEZE,
	};
	uint8_t s[512];
	unsigned int i;
	int flags;

	for (i = 0; i < sizeof(s); i++)
		s[i] = rnd() % 3 ? 0 : (uint8_t)rnd();
	switch (rnd() % 4) {
	case 0:
		c->cmd = (uint32_t)rnd();
		break;
	case 1:	/* a plausible number: a direction, a type, a size */
		c->cmd = (uint32_t)((rnd() % 4) << 30 | (rnd() % 512) << 16 |
				    (rnd() % 2 ? 'f' : rnd() % 2 ? 'X' : (uint8_t)rnd()) << 8 |
				    (rnd() % 256));
		break;
	default:
		c->cmd = cmds[rnd() % (sizeof(cmds) / sizeof(cmds[0]))];
		break;
	}
	/*
	 * Never immutable or append-only: the fuzzer must be able to clean up,
	 * and the native twin never sees these calls, so a flag set here would
	 * make the verityfs side's later EPERM look like a difference. Their
	 * argument is therefore always the masked structure where it was put,
	 * never a wild pointer into memory that may hold any flags.
	 */
	flags = c->cmd == IOC_SETFLAGS || c->cmd == IOC32_SETFLAGS || c->cmd == IOC_FSSETXATTR;
	if (c->cmd == IOC_SETFLAGS || c->cmd == IOC32_SETFLAGS) {
		uint32_t fl = (uint32_t)rnd() & ~0x30U;	/* FS_IMMUTABLE_FL, FS_APPEND_FL */

		memcpy(s, &fl, 4);
	} else if (c->cmd == IOC_FSSETXATTR) {
		s[0] &= ~0x18;				/* FS_XFLAG_IMMUTABLE, _APPEND */
	}
	if (rnd() % 4 == 0 && !flags) {
		c->arg = rval();	/* a plain number: an fd, a size, or a wild pointer */
		c->len = 0;
		c->off = 0;
	} else {
		put_struct(c, s, 64 + rnd() % 448);
		if (flags) {
			c->off = 0;
			c->arg = (uintptr_t)good;
		}
	}
}

/* ---- the 32-bit entry ---------------------------------------------------- */

static int have_compat;

/* ioctl through int 0x80: the kernel's ia32 syscall table (ioctl is 54 there). */
static long ioctl32(int fd, unsigned int cmd, uint32_t arg)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(54L), "b"((long)fd), "c"((long)cmd), "d"((long)arg)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static int do_call(int fd, const struct call *c)
{
	long r;

	if (c->len)
		memcpy(good + c->off, c->bytes, c->off + c->len > GOOD_SIZE ?
		       GOOD_SIZE - c->off : c->len);
	if (c->compat) {
		r = ioctl32(fd, c->cmd, (uint32_t)c->arg);
		if (r < 0 && r > -4096) {
			errno = -r;
			r = -1;
		}
	} else {
		r = ioctl(fd, c->cmd, (unsigned long)c->arg);
	}
	return r < 0 ? -errno : (int)r;
}

/* What a successful MEASURE or READ_VERITY_METADATA wrote, copied to OUT. */
static void out_region(const struct call *c, int ret, uint8_t *out, size_t *len)
{
	uint64_t p = 0, end = (uintptr_t)good + GOOD_SIZE;

	*len = 0;
	if (ret < 0 || !c->len || c->arg < (uintptr_t)good || c->arg + c->len > end)
		return;
	if (c->cmd == IOC_MEASURE) {
		*len = 4 + 64 <= end - c->arg ? 4 + 64 : 4;
		p = c->arg;
	} else if (c->cmd == IOC_READMETA) {
		memcpy(&p, good + (c->arg - (uintptr_t)good) + 24, 8);
		*len = ret > 65536 ? 65536 : ret;
		if (p < (uintptr_t)good || p + *len > end) {
			*len = 0;
			return;
		}
	}
	if (*len)
		memcpy(out, (void *)(uintptr_t)p, *len);
}

/* ---- ioctl fuzz: verityfs against native ext4 fs-verity ------------------ */

enum { F_V1, F_V2, F_P1, F_P1RW, F_P2, F_DIR, F_EMPTY, F_V1DIRECT, F_P2PATH, F_P2WO, NF };
static const char *const fname[NF] = {
	"v1", "v2", "p1", "p1-rw", "p2", "dir", "empty", "v1-direct", "p2-path", "p2-wo",
};

struct side {
	const char *dir;
	int fd[NF];
};

static void write_bytes(const char *path, size_t size, uint64_t seed)
{
	uint8_t b[4096];
	size_t off, i;
	int fd;

	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0) {
		fail("create %s: %s", path, strerror(errno));
		return;
	}
	for (off = 0; off < size; off += sizeof(b)) {
		for (i = 0; i < sizeof(b); i++)
			b[i] = (uint8_t)((seed + off + i) * 2654435761U >> 13);
		if (write(fd, b, size - off < sizeof(b) ? size - off : sizeof(b)) < 0)
			fail("write %s: %s", path, strerror(errno));
	}
	close(fd);
}

static void enable_path(const char *path, uint32_t alg, uint32_t bs, int salt)
{
	static const uint8_t s[4] = { 1, 2, 3, 4 };
	struct vx_enable_arg a;
	int fd = open(path, O_RDONLY);

	memset(&a, 0, sizeof(a));
	a.version = 1;
	a.hash_algorithm = alg;
	a.block_size = bs;
	a.salt_size = salt;
	a.salt_ptr = (uintptr_t)s;
	if (fd < 0 || ioctl(fd, IOC_ENABLE, &a))
		fail("enable %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void close_side(struct side *s)
{
	int i;

	for (i = 0; i < NF; i++)
		if (s->fd[i] >= 0)
			close(s->fd[i]);
}

/* Make the files anew (v1, v2 stay verity; p2 and empty plain again). */
static void setup_side(struct side *s, int first)
{
	static const struct { int f; const char *name; int flags; } opens[] = {
		{ F_V1, "v1", O_RDONLY }, { F_V2, "v2", O_RDONLY }, { F_P1, "p1", O_RDONLY },
		{ F_P1RW, "p1", O_RDWR }, { F_P2, "p2", O_RDONLY },
		{ F_DIR, "dir", O_RDONLY | O_DIRECTORY }, { F_EMPTY, "empty", O_RDONLY },
		{ F_V1DIRECT, "v1", O_RDONLY | O_DIRECT }, { F_P2PATH, "p2", O_PATH },
		{ F_P2WO, "p2", O_WRONLY },
	};
	char p[4096];
	unsigned int i;
	int zero = 0;

	if (!first)
		close_side(s);
	if (first) {
		snprintf(p, sizeof(p), "%s/v1", s->dir);
		write_bytes(p, 100000, 1);
		enable_path(p, 1, 4096, 0);
		snprintf(p, sizeof(p), "%s/v2", s->dir);
		write_bytes(p, 5000, 2);
		enable_path(p, 2, 4096, 4);
		snprintf(p, sizeof(p), "%s/p1", s->dir);
		write_bytes(p, 70000, 3);
		snprintf(p, sizeof(p), "%s/dir", s->dir);
		mkdir(p, 0755);
	}
	/* Random SETFLAGS may have left flags: clear what can be cleared. */
	for (i = 0; i < 2; i++) {
		int fd;

		snprintf(p, sizeof(p), "%s/%s", s->dir, i ? "empty" : "p2");
		fd = open(p, O_RDONLY);
		if (fd >= 0) {
			ioctl(fd, IOC_SETFLAGS, &zero);
			close(fd);
		}
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s/p2", s->dir);
	write_bytes(p, 70000, 4);
	snprintf(p, sizeof(p), "%s/empty", s->dir);
	write_bytes(p, 0, 0);
	for (i = 0; i < NF; i++) {
		snprintf(p, sizeof(p), "%s/%s", s->dir, opens[i].name);
		s->fd[opens[i].f] = open(p, opens[i].flags);
		if (s->fd[opens[i].f] < 0)
			fail("open %s (%s): %s", p, fname[opens[i].f], strerror(errno));
	}
}

static const char *cmd_label(unsigned int cmd)
{
	switch (cmd) {
	case IOC_ENABLE: return "ENABLE_VERITY";
	case IOC_MEASURE: return "MEASURE_VERITY";
	case IOC_READMETA: return "READ_VERITY_METADATA";
	case IOC_GETFLAGS: return "GETFLAGS";
	case IOC_SETFLAGS: return "SETFLAGS";
	case IOC32_GETFLAGS: return "GETFLAGS32";
	case IOC32_SETFLAGS: return "SETFLAGS32";
	case IOC_GETVERSION: case IOC32_GETVERSION: return "GETVERSION";
	case IOC_FSGETXATTR: return "FSGETXATTR";
	case IOC_FSSETXATTR: return "FSSETXATTR";
	case IOC_FIEMAP: return "FIEMAP";
	case IOC_FICLONE: case IOC_FICLONERANGE: case IOC_FIDEDUPERANGE: return "CLONE/DEDUPE";
	default: return "other";
	}
}


/* Is the running kernel older than MAJOR.MINOR? */
static int kernel_before(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return 0;
	return ma < major || (ma == major && mi < minor);
}

/* See the allowed differences in run_ioctl(). */
static int enable_newer_upstream(const struct call *c, int vfd, long rv, long rn)
{
	struct vx_enable_arg a;
	int acc = fcntl(vfd, F_GETFL) & O_ACCMODE;

	memcpy(&a, c->bytes, sizeof(a));
	/* Before 6.3 native takes no block size but the page's (step 4). */
	if (rn == -EINVAL && kernel_before(6, 3) && a.block_size &&
	    !(a.block_size & (a.block_size - 1)) && a.block_size != (uint32_t)sysconf(_SC_PAGESIZE))
		return 1;
	return rv == -EBADF && acc != O_RDONLY && acc != O_RDWR;
}

static int run_ioctl(const char *vdir, const char *ndir, long n)
{
	struct side v = { vdir }, nat = { ndir };
	static uint8_t vout[65536], nout[65536];
	size_t vlen, nlen;
	long i, diffs = 0, compared = 0, compat_calls = 0, allowed = 0;

	map_buffers();
	have_compat = ioctl32(-1, 0, 0) == -EBADF;
	printf("# ioctl: the 32-bit entry is %s\n", have_compat ? "there" : "missing: native calls only");
	setup_side(&v, 1);
	setup_side(&nat, 1);
	for (i = 0; i < n && fails < 20; i++) {
		struct call c;
		int f = rnd() % NF, kind = rnd() % 10, rv, rn;
		char label[96];

		memset(&c, 0, sizeof(c));
		if (kind < 3)
			build_enable(&c);
		else if (kind < 5)
			build_measure(&c);
		else if (kind < 7)
			build_readmeta(&c);
		else
			build_other(&c);
		c.compat = have_compat && rnd() % 4 == 0;
		/* A clone or an argument that is an fd: one of ours, on the same side. */
		if (c.cmd == IOC_FICLONE && !c.len && rnd() % 2)
			c.arg = v.fd[rnd() % NF];
		compat_calls += c.compat;
		rv = do_call(v.fd[f], &c);
		out_region(&c, rv, vout, &vlen);
		/* A frozen verityfs blocks every writer: thaw it at once. */
		if (c.cmd == IOC_FIFREEZE && rv >= 0)
			hcount("FITHAW after FIFREEZE", ioctl(v.fd[f], IOC_FITHAW, 0) ? errno : 0);
		snprintf(label, sizeof(label), "%s%s %s", cmd_label(c.cmd), c.compat ? "(32)" : "",
			 fname[f]);
		hcount(label, rv < 0 ? -rv : 0);
		if (c.cmd != IOC_ENABLE && c.cmd != IOC_MEASURE && c.cmd != IOC_READMETA)
			goto next;
		rn = do_call(nat.fd[f], &c);
		out_region(&c, rn, nout, &nlen);
		compared++;
		if (rv == rn) {
			/* The same bytes out too: a digest, or the metadata read. */
			if (vlen != nlen || memcmp(vout, nout, vlen)) {
				diffs++;
				fail("call %ld: %s%s on %s: same result, different bytes out", i,
				     cmd_label(c.cmd), c.compat ? "(32)" : "", fname[f]);
			}
			goto next;
		}
		/*
		 * The allowed differences, both where verityfs follows newer
		 * upstream than the native kernel it is compared with: Merkle
		 * block sizes other than the page's (native from 6.3 on; before,
		 * its EINVAL comes where verityfs goes on to its later checks),
		 * EBADF for a descriptor not open for reading (native from 6.4),
		 * and FS_IOC_READ_VERITY_METADATA itself (native from 5.12).
		 */
		if ((c.cmd == IOC_ENABLE && enable_newer_upstream(&c, v.fd[f], rv, rn)) ||
		    (c.cmd == IOC_READMETA && rn == -ENOTTY && kernel_before(5, 12))) {
			allowed++;
			setup_side(&v, 0);
			setup_side(&nat, 0);
			goto next;
		}
		diffs++;
		fail("call %ld: %s%s on %s: verityfs %s, native ext4 %s (arg %#llx, bytes %02x%02x%02x%02x...)",
		     i, cmd_label(c.cmd), c.compat ? "(32)" : "", fname[f],
		     rv < 0 ? strerrorname_np(-rv) : "ok", rn < 0 ? strerrorname_np(-rn) : "ok",
		     (unsigned long long)c.arg, c.bytes[0], c.bytes[1], c.bytes[2], c.bytes[3]);
		if (c.cmd == IOC_ENABLE) {
			setup_side(&v, 0);
			setup_side(&nat, 0);
		}
next:
		if (i % 500 == 499) {
			setup_side(&v, 0);
			setup_side(&nat, 0);
		}
	}
	hprint("ioctl-hist");
	printf("# ioctl calls=%ld compat=%ld compared_with_native=%ld differences=%ld allowed=%ld failures=%ld\n",
	       i, compat_calls, compared, diffs, allowed, fails);
	close_side(&v);
	close_side(&nat);
	return fails ? 1 : 0;
}

/* ---- mount fuzz ------------------------------------------------------------ */

#ifndef SYS_fsopen
#define SYS_fsopen 430
#define SYS_fsconfig 431
#define SYS_fsmount 432
#define SYS_move_mount 429
#endif

static const char *const opt_words[] = {
	"ro", "rw", "require_signatures", "norequire_signatures", "errors=eio",
	"errors=panic", "errors=", "errors=continue", "errors", "require_signatures=1",
	"nosuid", "noexec", "nodev", "sync", "dirsync", "noatime", "lazytime",
	"source=/", "lowerdir=/tmp", "upperdir=/tmp", "context=system_u:object_r:tmp_t:s0",
	"x-systemd.automount", ",", "=", "==", "errors=eio,errors=panic", "\xff\xfe",
};
#define NWORDS (sizeof(opt_words) / sizeof(opt_words[0]))

static void random_opts(char *buf, size_t len)
{
	size_t at = 0;
	int k = rnd() % 6, i;

	buf[0] = 0;
	if (rnd() % 8 == 0) {	/* raw bytes, no NUL, maybe longer than a page */
		size_t n = rnd() % 2 ? rnd() % 200 : len - 1;

		for (i = 0; i < (int)n; i++)
			buf[i] = 1 + rnd() % 255;
		buf[n] = 0;
		return;
	}
	for (i = 0; i < k && at + 80 < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", i ? "," : "", opt_words[rnd() % NWORDS]);
}

static void try_ops(const char *mnt)
{
	char p[4096];
	uint8_t b[4096];
	int fd;

	snprintf(p, sizeof(p), "%s/v1", mnt);
	fd = open(p, O_RDONLY);
	if (fd >= 0) {
		while (read(fd, b, sizeof(b)) > 0)
			;
		close(fd);
	}
	snprintf(p, sizeof(p), "%s/new", mnt);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd >= 0) {
		if (write(fd, "x", 1) < 0)
			hcount("write-after-mount", errno);
		close(fd);
		unlink(p);
	}
}

static void umount_all(const char *mnt)
{
	int i;

	for (i = 0; i < 64; i++)
		if (umount2(mnt, 0) && umount2(mnt, MNT_DETACH))
			break;
}

static const char *pick_source(const char *lower, const char *mnt, char *buf, size_t len)
{
	switch (rnd() % 12) {
	case 0:
		return "/nonexistent/dir";
	case 1:
		snprintf(buf, len, "%s/v1", lower);	/* a file, not a directory */
		return buf;
	case 2:
		return "";
	case 3:
		return mnt;				/* over a verityfs mount, maybe itself */
	case 4:
		memset(buf, 'a', len - 1);
		buf[len - 1] = 0;
		return buf;
	case 5:
		return "/proc/self";
	case 6:
		return NULL;
	default:
		return lower;
	}
}

static int run_mount(const char *lower, const char *mnt, long n)
{
	static const unsigned long flagbits[] = {
		MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_SYNCHRONOUS, MS_NOATIME,
		MS_DIRSYNC, MS_LAZYTIME, MS_SILENT, MS_NODIRATIME, MS_RELATIME, MS_STRICTATIME,
	};
	static const char *const keys[] = {
		"source", "ro", "rw", "require_signatures", "norequire_signatures", "errors",
		"lowerdir", "x", "", "errors\xff",
	};
	static char opts[8192], srcbuf[4200], val[300];
	long i, mounted = 0, stacked = 0, remounts = 0, newapi = 0;
	int j;

	for (i = 0; i < n && fails < 20; i++) {
		unsigned long flags = 0;
		const char *src;
		int depth = 0;

		for (j = 0; j < 12; j++)
			if (rnd() % 5 == 0)
				flags |= flagbits[j];
		if (rnd() % 3 == 0) {
			/* The new mount API: every fsconfig type with random keys. */
			int fs = syscall(SYS_fsopen, "verityfs", 0), k, mfd;

			if (fs < 0) {
				hcount("fsopen", errno);
				continue;
			}
			newapi++;
			for (k = rnd() % 6; k >= 0; k--) {
				unsigned int cmd = rnd() % 6;
				const char *key = rnd() % 3 ? keys[rnd() % 10] : NULL;
				const void *value = NULL;
				int aux = 0;

				switch (cmd) {
				case 1:	/* string */
				case 3:	/* path */
					random_opts(val, sizeof(val));
					value = rnd() % 2 ? lower : val;
					aux = cmd == 3 ? AT_FDCWD : 0;
					break;
				case 2:	/* binary */
					value = good ? (void *)good : (void *)val;
					aux = 1 + rnd() % 64;
					break;
				case 4:	/* empty path */
					value = "";
					aux = AT_FDCWD;
					break;
				case 5:	/* an fd */
					aux = rnd() % 2 ? fs : 0;
					break;
				}
				if (syscall(SYS_fsconfig, fs, cmd, key, value, aux))
					hcount("fsconfig", errno);
				else
					hcount("fsconfig", 0);
			}
			if (rnd() % 2) {
				/* The source, so that some of them do create. */
				syscall(SYS_fsconfig, fs, 1, "source", lower, 0);
			}
			if (syscall(SYS_fsconfig, fs, 6, NULL, NULL, 0)) {
				hcount("fsconfig-create", errno);
				close(fs);
				continue;
			}
			hcount("fsconfig-create", 0);
			mfd = syscall(SYS_fsmount, fs, 0, rnd() % 2 ? 0 : 0x00000001);
			close(fs);
			if (mfd < 0) {
				hcount("fsmount", errno);
				continue;
			}
			if (syscall(SYS_move_mount, mfd, "", AT_FDCWD, mnt, 4)) {
				hcount("move_mount", errno);
			} else {
				mounted++;
				try_ops(mnt);
				umount_all(mnt);
			}
			close(mfd);
			continue;
		}
		random_opts(opts, rnd() % 20 ? 300 : sizeof(opts));
		src = pick_source(lower, mnt, srcbuf, sizeof(srcbuf));
		if (mount(src, mnt, "verityfs", flags, rnd() % 8 ? opts : NULL)) {
			hcount("mount", errno);
			continue;
		}
		hcount("mount", 0);
		mounted++;
		depth = 1;
		try_ops(mnt);
		/* Stack more verityfs mounts on it, until the depth limit says no. */
		while (rnd() % 3 == 0 && depth < 8) {
			if (mount(mnt, mnt, "verityfs", 0, NULL)) {
				hcount("stack", errno);
				break;
			}
			hcount("stack", 0);
			stacked++;
			depth++;
			try_ops(mnt);
		}
		for (j = rnd() % 4; j > 0; j--) {
			unsigned long rf = MS_REMOUNT;

			if (rnd() % 2)
				rf |= MS_RDONLY;
			if (rnd() % 4 == 0)
				rf |= MS_BIND;
			random_opts(opts, 300);
			if (mount(NULL, mnt, NULL, rf, rnd() % 4 ? opts : NULL))
				hcount("remount", errno);
			else
				hcount("remount", 0);
			remounts++;
			try_ops(mnt);
		}
		umount_all(mnt);
	}
	hprint("mount-hist");
	printf("# mount attempts=%ld mounted=%ld stacked=%ld remounts=%ld new_api=%ld failures=%ld\n",
	       i, mounted, stacked, remounts, newapi, fails);
	return fails ? 1 : 0;
}

/* ---- store damage ------------------------------------------------------------ */

struct tmpl {
	unsigned long size;
	unsigned int alg, bs, salt_len;
	uint8_t salt[32];
	uint64_t seed;
};
static struct tmpl tab[64];
static int ntab;

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void load_table(const char *path)
{
	char line[512], alg[16], salt[80], dig[200];
	unsigned long long seed;
	FILE *f = fopen(path, "r");
	int t;

	while (f && fgets(line, sizeof(line), f)) {
		struct tmpl *p;
		unsigned int i;

		if (sscanf(line, "%d %*u %15s %*u %79s %llu %199s", &t, alg, salt, &seed, dig) != 5 ||
		    t < 0 || t >= 64)
			continue;
		p = &tab[t];
		sscanf(line, "%*d %lu %*s %u", &p->size, &p->bs);
		p->alg = strcmp(alg, "sha512") ? 1 : 2;
		p->seed = seed;
		p->salt_len = 0;
		for (i = 0; strcmp(salt, "-") && salt[2 * i] && i < 32; i++)
			p->salt[p->salt_len++] = hexval(salt[2 * i]) << 4 | hexval(salt[2 * i + 1]);
		if (t >= ntab)
			ntab = t + 1;
	}
	if (f)
		fclose(f);
	if (!ntab) {
		fprintf(stderr, "vx-fuzz: no templates in %s\n", path);
		exit(2);
	}
}

/* vx-stress's data: byte O of a template is byte O % 8 of a mixed word. */
static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint8_t gen_byte(uint64_t seed, uint64_t off)
{
	return (uint8_t)(mix64(seed ^ ((off >> 3) * 0xd1342543de82ef95ULL)) >> (8 * (off & 7)));
}

static int kmsg = -1;

/*
 * verityfs's messages share one rate limit (10 lines per 5 s, module-wide).
 * A refusal whose line the limit dropped is counted by the kernel, which
 * says "verityfs_msg: N callbacks suppressed" with the first message of the
 * next window. Refusals seen without a line wait in pending_nolog until that
 * count arrives, and must not outnumber it.
 */
static long pending_nolog, suppressed_calls;

/* Kernel log records since the last call that name verityfs. */
static int new_log_lines(void)
{
	char rec[2048];
	const char *p;
	int n = 0;
	ssize_t r;

	while ((r = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (r < 0 && errno == EPIPE)) {
		if (r <= 0)
			continue;
		rec[r] = 0;
		p = strstr(rec, "verityfs_msg: ");
		if (p && strstr(p, "callbacks suppressed")) {
			long k = atol(p + strlen("verityfs_msg: "));

			suppressed_calls += k;
			if (pending_nolog > k)
				fail("%ld refusals without a log line, only %ld messages suppressed",
				     pending_nolog, k);
			pending_nolog = 0;
		} else if (strstr(rec, "verityfs")) {
			n++;
		}
	}
	return n;
}

enum { D_HEADER, D_DESC, D_TREE, D_CUT, D_GROW, D_HUGE, D_SWAP, D_DIR, D_RECORD, D_RECCUT,
	D_RECGROW, D_RECORD_ID, D_GONE, N_DAMAGE };
static const char *const dname[N_DAMAGE] = {
	"header", "descriptor", "tree", "object-cut", "object-grown", "object-huge-sparse",
	"object-of-another-file", "object-is-a-directory", "record-bytes", "record-cut",
	"record-grown", "record-names-another-object", "object-removed",
};

static void damage_bytes(const char *path, uint64_t from, uint64_t len)
{
	int fd = open(path, O_RDWR), k, i;
	uint8_t b;

	if (fd < 0 || !len) {
		if (fd >= 0)
			close(fd);
		return;
	}
	k = 1 + rnd() % 8;
	for (i = 0; i < k; i++) {
		uint64_t at = from + rnd() % len;
		uint8_t old = 0;

		if (pread(fd, &old, 1, at) != 1)
			continue;
		switch (rnd() % 4) {
		case 0:
			b = old ^ (1 << (rnd() % 8));
			break;
		case 1:
			b = 0xff;
			break;
		case 2:
			b = 0;
			break;
		default:
			b = (uint8_t)rnd();
			break;
		}
		if (pwrite(fd, &b, 1, at) != 1)
			fail("damage %s: %s", path, strerror(errno));
	}
	if (rnd() % 4 == 0 && len >= 8) {
		/* A whole field to an edge value. */
		uint64_t v = edges[rnd() % NEDGES], at = from + (rnd() % len & ~7ULL);

		if (pwrite(fd, &v, at + 8 <= from + len ? 8 : 4, at) < 0)
			fail("damage %s: %s", path, strerror(errno));
	}
	close(fd);
}

static int drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd < 0)
		return -1;
	if (write(fd, "3", 1) < 0)
		return -1;
	close(fd);
	return 0;
}

struct outcome {
	long open_refused, read_eio, intact, wrong, nolog, lines;
};

static int run_damage(const char *mnt, const char *lower, long rounds)
{
	struct outcome out[N_DAMAGE];
	char path[4096], lpath[4096], obj[4096], prev_obj[4096] = "";
	uint8_t rec[256], prev_rec[88] = { 0 };
	static uint8_t buf[1 << 16];
	long r;
	int have_prev = 0;
	char *refused_round = calloc(rounds > 0 ? rounds : 1, 1);

	memset(out, 0, sizeof(out));
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0) {
		perror("/dev/kmsg");
		return 3;
	}
	lseek(kmsg, 0, SEEK_END);
	for (r = 0; r < rounds && fails < 20; r++) {
		int t = rnd() % ntab, fd, d = rnd() % N_DAMAGE, lines;
		struct vx_enable_arg a;
		uint64_t id, off, tree_off = 0, tree_size = 0, desc_size = 0;
		ssize_t reclen, n;
		struct stat st;
		int refused = 0, eio = 0, wrong = 0;

		if (tab[t].size > 300000)
			t = rnd() % 14;	/* keep most files small: the store is what is fuzzed */
		snprintf(path, sizeof(path), "%s/dmg%ld", mnt, r);
		snprintf(lpath, sizeof(lpath), "%s/dmg%ld", lower, r);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0) {
			fail("create %s: %s", path, strerror(errno));
			continue;
		}
		for (off = 0; off < tab[t].size; off += n) {
			size_t k = tab[t].size - off > sizeof(buf) ? sizeof(buf) : tab[t].size - off, i;

			for (i = 0; i < k; i++)
				buf[i] = gen_byte(tab[t].seed, off + i);
			n = write(fd, buf, k);
			if (n <= 0)
				break;
		}
		close(fd);
		memset(&a, 0, sizeof(a));
		a.version = 1;
		a.hash_algorithm = tab[t].alg;
		a.block_size = tab[t].bs;
		a.salt_size = tab[t].salt_len;
		a.salt_ptr = (uintptr_t)tab[t].salt;
		fd = open(path, O_RDONLY);
		if (fd < 0 || ioctl(fd, IOC_ENABLE, &a)) {
			fail("enable %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			continue;
		}
		close(fd);
		reclen = getxattr(lpath, "trusted.verityfs", rec, sizeof(rec));
		if (reclen < 16) {
			fail("%s: no record after enable", lpath);
			continue;
		}
		memcpy(&id, rec + 8, 8);
		snprintf(obj, sizeof(obj), "%s/.verityfs/%016llx", lower, (unsigned long long)id);
		fd = open(obj, O_RDONLY);
		if (fd < 0) {
			fail("%s: %s", obj, strerror(errno));
			continue;
		}
		{
			uint8_t h[64];

			if (pread(fd, h, 64, 0) == 64) {
				uint32_t ds;

				memcpy(&ds, h + 12, 4);
				desc_size = ds;
				memcpy(&tree_off, h + 24, 8);
				memcpy(&tree_size, h + 32, 8);
			}
		}
		fstat(fd, &st);
		close(fd);
		/* Make the file's inode go, so the next open reads the store again. */
		drop_caches();
		switch (d) {
		case D_HEADER:
			damage_bytes(obj, 0, 64);
			break;
		case D_DESC:
			damage_bytes(obj, 64, desc_size ? desc_size : 256);
			break;
		case D_TREE:
			if (tree_size)
				damage_bytes(obj, tree_off, tree_size);
			else
				damage_bytes(obj, 64, 256);	/* no tree: the root hash */
			break;
		case D_CUT:
			if (truncate(obj, rnd() % (st.st_size ? st.st_size : 1)))
				fail("truncate %s: %s", obj, strerror(errno));
			break;
		case D_GROW:
			fd = open(obj, O_WRONLY | O_APPEND);
			if (fd >= 0) {
				size_t k = 1 + rnd() % 8192, i;

				for (i = 0; i < k; i++)
					buf[i] = (uint8_t)rnd();
				if (write(fd, buf, k) < 0)
					fail("grow %s: %s", obj, strerror(errno));
				close(fd);
			}
			break;
		case D_HUGE:
			if (truncate(obj, (off_t)1 << (40 + rnd() % 3)) && errno != EFBIG)
				fail("truncate %s: %s", obj, strerror(errno));
			break;
		case D_SWAP:
			if (have_prev)
				rename(prev_obj, obj);	/* another file's object under this id */
			else
				damage_bytes(obj, 0, 64);
			have_prev = 0;
			break;
		case D_DIR:
			unlink(obj);
			mkdir(obj, 0700);
			break;
		case D_RECORD:
			{
				int k = 1 + rnd() % 6, i;

				for (i = 0; i < k; i++)
					rec[rnd() % reclen] ^= 1 << (rnd() % 8);
			}
			if (lsetxattr(lpath, "trusted.verityfs", rec, reclen, 0))
				fail("setxattr %s: %s", lpath, strerror(errno));
			break;
		case D_RECCUT:
			if (lsetxattr(lpath, "trusted.verityfs", rec, rnd() % reclen, 0))
				fail("setxattr %s: %s", lpath, strerror(errno));
			break;
		case D_RECGROW:
			{
				size_t k = reclen + 1 + rnd() % 100, i;

				for (i = reclen; i < k; i++)
					rec[i] = (uint8_t)rnd();
				if (lsetxattr(lpath, "trusted.verityfs", rec, k, 0))
					fail("setxattr %s: %s", lpath, strerror(errno));
			}
			break;
		case D_RECORD_ID:
			if (have_prev) {
				/* This file's record points at another verity file's object. */
				memcpy(rec + 8, prev_rec + 8, 8);
				if (lsetxattr(lpath, "trusted.verityfs", rec, reclen, 0))
					fail("setxattr %s: %s", lpath, strerror(errno));
			}
			break;
		case D_GONE:
			unlink(obj);
			break;
		}
		drop_caches();
		new_log_lines();	/* the enable's own lines, if any */

		/* Now use it: open, measure, dump, read every byte. */
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			refused = 1;
			if (errno != EINVAL && errno != EIO)
				fail("%s (%s): open: %s, want EINVAL", path, dname[d], strerror(errno));
		} else {
			uint8_t dg[4 + 64];
			struct vx_readmeta_arg m;
			uint64_t at = 0;
			int k;

			memset(dg, 0, sizeof(dg));
			dg[2] = 64;
			ioctl(fd, IOC_MEASURE, dg);
			for (k = 1; k <= 3; k++) {
				memset(&m, 0, sizeof(m));
				m.type = k;
				m.length = sizeof(buf);
				m.buf_ptr = (uintptr_t)buf;
				ioctl(fd, IOC_READMETA, &m);
			}
			for (;;) {
				ssize_t got = pread(fd, buf, sizeof(buf), at);
				size_t i;

				if (got < 0) {
					if (errno == EIO) {
						eio = 1;
						at += 4096;	/* skip the bad page, read on */
						if (at < tab[t].size)
							continue;
						break;
					}
					fail("%s (%s): read: %s", path, dname[d], strerror(errno));
					break;
				}
				if (!got)
					break;
				for (i = 0; i < (size_t)got; i++)
					if (buf[i] != gen_byte(tab[t].seed, at + i))
						wrong = 1;
				at += got;
			}
			if (wrong)
				fail("%s (%s): read bytes that are not the file's", path, dname[d]);
			close(fd);
		}
		lines = new_log_lines();
		out[d].lines += lines;
		if (refused)
			out[d].open_refused++;
		else if (eio)
			out[d].read_eio++;
		else
			out[d].intact++;
		out[d].wrong += wrong;
		if (refused || eio) {
			refused_round[r] = 1;
			if (!lines) {
				/* Its line may have been the rate limit's to drop. */
				out[d].nolog++;
				pending_nolog++;
			}
		}
		/* Keep this one as the "other file" of the next round. */
		snprintf(prev_obj, sizeof(prev_obj), "%s", obj);
		memcpy(prev_rec, rec, sizeof(prev_rec));
		have_prev = d != D_GONE && d != D_DIR && d != D_SWAP;
		/* Pace the rounds under the log's rate limit (10 lines in 5 s). */
		if (refused || eio)
			usleep(600000);
	}
	/*
	 * Settle the last window: after it has passed, a refused file opened
	 * again logs its line together with the count of what was dropped.
	 */
	if (pending_nolog) {
		sleep(6);
		for (r = 0; r < rounds && pending_nolog; r++) {
			int fd;

			if (!refused_round[r])
				continue;
			snprintf(path, sizeof(path), "%s/dmg%ld", mnt, r);
			fd = open(path, O_RDONLY);
			if (fd >= 0) {
				while (read(fd, buf, sizeof(buf)) > 0)
					;
				close(fd);
			}
			new_log_lines();
		}
		if (pending_nolog)
			fail("%ld refusals without a log line, none suppressed", pending_nolog);
	}
	free(refused_round);
	/* Unlinking damaged files through the mount must work too. */
	for (r = 0; r < rounds; r++) {
		snprintf(path, sizeof(path), "%s/dmg%ld", mnt, r);
		if (unlink(path) && errno != ENOENT)
			fail("unlink %s: %s", path, strerror(errno));
	}
	for (r = 0; r < N_DAMAGE; r++)
		printf("# damage %s: open_refused=%ld read_eio=%ld intact=%ld wrong=%ld log_lines=%ld no_line_seen=%ld\n",
		       dname[r], out[r].open_refused, out[r].read_eio, out[r].intact, out[r].wrong,
		       out[r].lines, out[r].nolog);
	printf("# damage rounds=%ld suppressed_messages=%ld failures=%ld\n", rounds,
	       suppressed_calls, fails);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "ioctl")) {
		rs = mix64(strtoull(argv[5], NULL, 0)) | 1;
		return run_ioctl(argv[2], argv[3], atol(argv[4]));
	}
	if (argc == 6 && !strcmp(argv[1], "mount")) {
		rs = mix64(strtoull(argv[5], NULL, 0)) | 1;
		map_buffers();
		return run_mount(argv[2], argv[3], atol(argv[4]));
	}
	if (argc == 7 && !strcmp(argv[1], "damage")) {
		rs = mix64(strtoull(argv[6], NULL, 0)) | 1;
		load_table(argv[2]);
		return run_damage(argv[3], argv[4], atol(argv[5]));
	}
	fprintf(stderr, "usage: see the head of vx-fuzz.c\n");
	return 2;
}
