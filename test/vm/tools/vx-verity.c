// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-verity: the fs-verity system calls the stock fsverity tool cannot make
 * (bad pointers, short digest buffers, reserved fields, odd open modes) and
 * reads that report how far they got, each printing one normalized line, so
 * that the parity cases can compare native ext4 with verityfs line by line.
 *
 *   vx-verity enable FILE [KEY=VAL...]   raw FS_IOC_ENABLE_VERITY; keys: version
 *                                        alg bs salt (size) sig (size) res1 res2
 *                                        arg=bad salt_ptr=bad open=r|rw|3
 *   vx-verity measure FILE SIZE          FS_IOC_MEASURE_VERITY, digest_size SIZE
 *   vx-verity readmeta FILE TYPE OFF LEN OUT [RESERVED]
 *                                        FS_IOC_READ_VERITY_METADATA into OUT
 *   vx-verity open FILE MODE             MODE: r w rw a rt (O_RDONLY|O_TRUNC) rd
 *                                        (O_DIRECT) 3 (O_WRONLY|O_RDWR)
 *   vx-verity truncate FILE SIZE         truncate(2)
 *   vx-verity statx FILE                 STATX_ATTR_VERITY in attributes and mask
 *   vx-verity read FILE BUFSIZE [direct] read(2) to the end: bytes, then eof or errno
 *   vx-verity mmap FILE OFF LEN          read OFF..OFF+LEN through a shared mapping;
 *                                        reports SIGBUS and non-zero bytes past EOF
 *   vx-verity attrs FILE                 FS_IOC_GETFLAGS letters a i V, statx
 *                                        verity, and stat mode, links, owner, type
 *   vx-verity chunks FILE TYPE CHUNK LIMIT OUT
 *                                        READ_VERITY_METADATA in CHUNK-byte steps
 *   vx-verity probe FILE OFF LEN BS      generic/574's reads of a corrupted file:
 *                                        whole, O_DIRECT, the zapped range with
 *                                        1-byte reads, mmap of all and of the range
 *                                        (LEN 0: no range, for tree corruption)
 *   vx-verity as UID GID CMD ARGS...     run CMD as UID:GID with no groups
 *   vx-verity treeloc LOWERFILE STORE    "OBJECT TREE_OFFSET" of a verityfs file
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "vx-abi.h"

/* The upstream ABI (reference §1), written out so no kernel header is needed. */
#define VX_ENABLE	0x40806685
#define VX_MEASURE	0xC0046686
#define VX_READMETA	0xC0286687
#define VX_ATTR_VERITY	0x00100000



static const char *errname(int e)
{
	static char buf[16];

	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ETXTBSY: return "ETXTBSY";
	case EFBIG: return "EFBIG";
	case EROFS: return "EROFS";
	case ENOTTY: return "ENOTTY";
	case ENODATA: return "ENODATA";
	case EOVERFLOW: return "EOVERFLOW";
	case EMSGSIZE: return "EMSGSIZE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBADMSG: return "EBADMSG";
	case ENOKEY: return "ENOKEY";
	}
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static int fail(void)
{
	printf("%s\n", errname(errno));
	return 1;
}

static int open_mode(const char *path, const char *mode)
{
	static const struct { const char *name; int flags; } modes[] = {
		{ "r", O_RDONLY }, { "w", O_WRONLY }, { "rw", O_RDWR },
		{ "a", O_WRONLY | O_APPEND }, { "rt", O_RDONLY | O_TRUNC },
		{ "rd", O_RDONLY | O_DIRECT }, { "3", O_WRONLY | O_RDWR },
	};
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i].name))
			return open(path, modes[i].flags);
	fprintf(stderr, "vx-verity: unknown open mode %s\n", mode);
	exit(2);
}

static int do_enable(int argc, char **argv)
{
	struct vx_enable_arg arg = { .version = 1, .hash_algorithm = 1, .block_size = 4096 };
	static uint8_t salt[64], sig[16384];
	void *argp = &arg;
	const char *mode = "r";
	int i, fd;

	arg.salt_ptr = (uintptr_t)salt;
	arg.sig_ptr = (uintptr_t)sig;
	for (i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		unsigned long v;

		if (!eq)
			return 2;
		*eq++ = 0;
		v = strtoul(eq, NULL, 0);
		if (!strcmp(argv[i], "version"))
			arg.version = v;
		else if (!strcmp(argv[i], "alg"))
			arg.hash_algorithm = v;
		else if (!strcmp(argv[i], "bs"))
			arg.block_size = v;
		else if (!strcmp(argv[i], "salt"))
			arg.salt_size = v;
		else if (!strcmp(argv[i], "sig"))
			arg.sig_size = v;
		else if (!strcmp(argv[i], "res1"))
			arg.reserved1 = v;
		else if (!strcmp(argv[i], "res2"))
			arg.reserved2[10] = v;
		else if (!strcmp(argv[i], "arg"))
			argp = (void *)16;		/* never mapped */
		else if (!strcmp(argv[i], "salt_ptr"))
			arg.salt_ptr = 16;
		else if (!strcmp(argv[i], "open"))
			mode = eq;
		else
			return 2;
	}
	fd = open_mode(argv[2], mode);
	if (fd < 0)
		return fail();
	if (ioctl(fd, VX_ENABLE, argp))
		return fail();
	printf("ok\n");
	return 0;
}

static int do_measure(char **argv)
{
	struct { uint16_t alg, size; uint8_t digest[256]; } d;
	int fd = open(argv[2], O_RDONLY), i;

	if (fd < 0)
		return fail();
	d.size = atoi(argv[3]);
	if (ioctl(fd, VX_MEASURE, &d))
		return fail();
	printf("alg=%u size=%u ", d.alg, d.size);
	for (i = 0; i < d.size && i < 256; i++)
		printf("%02x", d.digest[i]);
	printf("\n");
	return 0;
}

static int do_readmeta(int argc, char **argv)
{
	struct vx_readmeta_arg arg = { 0 };
	int fd = open(argv[2], O_RDONLY), out;
	char *buf;
	long rc;

	if (fd < 0)
		return fail();
	arg.type = strtoull(argv[3], NULL, 0);
	arg.offset = strtoull(argv[4], NULL, 0);
	arg.length = strtoull(argv[5], NULL, 0);
	arg.reserved = argc > 7 ? strtoull(argv[7], NULL, 0) : 0;
	buf = malloc(arg.length > (1 << 24) ? (1 << 24) : arg.length + 1);
	if (!buf)
		return 2;
	arg.buf_ptr = (uintptr_t)buf;
	rc = ioctl(fd, VX_READMETA, &arg);
	if (rc < 0)
		return fail();
	out = open(argv[6], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0 || write(out, buf, rc) != rc)
		return 2;
	printf("ret=%ld\n", rc);
	return 0;
}

static int do_open(char **argv)
{
	if (open_mode(argv[2], argv[3]) < 0)
		return fail();
	printf("ok\n");
	return 0;
}

static int do_statx(char **argv)
{
	struct statx stx;

	if (statx(AT_FDCWD, argv[2], 0, STATX_BASIC_STATS, &stx))
		return fail();
	printf("verity=%d in_mask=%d\n", !!(stx.stx_attributes & VX_ATTR_VERITY),
	       !!(stx.stx_attributes_mask & VX_ATTR_VERITY));
	return 0;
}

static int do_read(int argc, char **argv)
{
	size_t bs = strtoul(argv[3], NULL, 0);
	int direct = argc > 4 && !strcmp(argv[4], "direct");
	int fd = open(argv[2], O_RDONLY | (direct ? O_DIRECT : 0));
	unsigned long long total = 0;
	void *buf;
	ssize_t n;

	if (fd < 0)
		return fail();
	if (posix_memalign(&buf, 4096, bs))
		return 2;
	for (;;) {
		n = read(fd, buf, bs);
		if (n < 0) {
			printf("%llu bytes then %s\n", total, errname(errno));
			return 1;
		}
		if (!n)
			break;
		total += n;
	}
	printf("%llu bytes then eof\n", total);
	return 0;
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static int do_mmap(char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long off = strtoull(argv[3], NULL, 0), len = strtoull(argv[4], NULL, 0);
	volatile unsigned long long pos = off, nonzero = 0;
	struct stat st;
	size_t maplen;
	int fd = open(argv[2], O_RDONLY);
	char *p;

	if (fd < 0 || fstat(fd, &st))
		return fail();
	maplen = (st.st_size + page - 1) & ~(page - 1);
	if (off + len > maplen) {
		fprintf(stderr, "vx-verity: range past the last page\n");
		return 2;
	}
	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return fail();
	signal(SIGBUS, on_sigbus);
	if (sigsetjmp(bus_jmp, 1)) {
		/* Only the page is known, not the byte. */
		printf("SIGBUS in page at %llu\n", pos & ~(page - 1));
		return 1;
	}
	for (; pos < off + len; pos++)
		if (p[pos] && pos >= (unsigned long long)st.st_size)
			nonzero++;
	printf("ok%s\n", nonzero ? ", non-zero bytes past EOF" : "");
	return 0;
}

static int do_attrs(char **argv)
{
	struct statx stx;
	long flags = 0;
	int fd = open(argv[2], O_RDONLY | O_NONBLOCK);

	if (fd < 0 || statx(AT_FDCWD, argv[2], 0, STATX_BASIC_STATS, &stx))
		return fail();
	if (ioctl(fd, _IOR('f', 1, long), &flags))
		printf("getflags: %s\n", errname(errno));
	else
		printf("flags: %s%s%s\n", flags & 0x20 ? "a" : "", flags & 0x10 ? "i" : "",
		       flags & VX_ATTR_VERITY ? "V" : "");
	printf("statx: verity=%d in_mask=%d\n", !!(stx.stx_attributes & VX_ATTR_VERITY),
	       !!(stx.stx_attributes_mask & VX_ATTR_VERITY));
	printf("stat: %o %u %u %u %s\n", stx.stx_mode & 07777, stx.stx_nlink, stx.stx_uid,
	       stx.stx_gid, S_ISREG(stx.stx_mode) ? "file" : S_ISDIR(stx.stx_mode) ? "dir" : "other");
	return 0;
}

static int do_chunks(char **argv)
{
	unsigned long long chunk = strtoull(argv[4], NULL, 0), limit = strtoull(argv[5], NULL, 0);
	struct vx_readmeta_arg arg = { 0 };
	int fd = open(argv[2], O_RDONLY), out = open(argv[6], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char buf[65536];
	long rc;

	if (fd < 0 || out < 0 || chunk > sizeof(buf))
		return fail();
	arg.type = strtoull(argv[3], NULL, 0);
	arg.length = chunk;
	arg.buf_ptr = (uintptr_t)buf;
	for (arg.offset = 0; arg.offset < limit; arg.offset += chunk) {
		rc = ioctl(fd, VX_READMETA, &arg);
		if (rc < 0)
			return fail();
		if (write(out, buf, rc) != rc)
			return 2;
	}
	printf("ok\n");
	return 0;
}

/* One line per read of generic/574: "<what>: ok|EIO|SIGBUS" plus "~" details. */
static void probe_read(const char *what, const char *path, size_t bs, int direct)
{
	int fd = open(path, O_RDONLY | (direct ? O_DIRECT : 0));
	unsigned long long total = 0;
	ssize_t n = -1;
	void *buf;

	if (fd < 0 || posix_memalign(&buf, 4096, bs)) {
		printf("%s: open %s\n", what, errname(errno));
		return;
	}
	while ((n = read(fd, buf, bs)) > 0)
		total += n;
	printf("%s: %s\n~%s: %llu bytes\n", what, n ? errname(errno) : "eof", what, total);
	free(buf);
	close(fd);
}

static void probe_zapped(const char *path, off_t off, size_t len)
{
	int fd = open(path, O_RDONLY);
	char c;
	size_t i;

	for (i = 0; fd >= 0 && i < len; i++) {
		if (pread(fd, &c, 1, off + i) != 1) {
			printf("read-zapped: %s\n", errname(errno));
			close(fd);
			return;
		}
	}
	printf("read-zapped: ok\n");
	close(fd);
}

static void probe_mmap(const char *what, const char *path, unsigned long long off,
		       unsigned long long len)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile unsigned long long pos = off, nonzero = 0;
	struct stat st;
	size_t maplen;
	int fd = open(path, O_RDONLY);
	char *p;

	if (fd < 0 || fstat(fd, &st)) {
		printf("%s: open %s\n", what, errname(errno));
		return;
	}
	maplen = (st.st_size + page - 1) & ~(page - 1);
	p = mmap(NULL, maplen, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		printf("%s: mmap %s\n", what, errname(errno));
		return;
	}
	signal(SIGBUS, on_sigbus);
	if (sigsetjmp(bus_jmp, 1)) {
		printf("%s: SIGBUS\n~%s: SIGBUS in page at %llu\n", what, what, pos & ~(page - 1));
	} else {
		for (; pos < off + len && pos < maplen; pos++)
			if (p[pos] && pos >= (unsigned long long)st.st_size)
				nonzero++;
		printf("%s: ok%s\n", what, nonzero ? ", non-zero bytes past EOF" : "");
	}
	signal(SIGBUS, SIG_DFL);
	munmap(p, maplen);
	close(fd);
}

static int do_probe(char **argv)
{
	unsigned long long off = strtoull(argv[3], NULL, 0), len = strtoull(argv[4], NULL, 0);
	size_t bs = strtoul(argv[5], NULL, 0);
	struct stat st;

	if (stat(argv[2], &st))
		return fail();
	probe_read("read", argv[2], 65536, 0);
	probe_read("direct-read", argv[2], bs, 1);
	if (len && off < (unsigned long long)st.st_size)
		probe_zapped(argv[2], off, len);
	probe_mmap("mmap", argv[2], 0, st.st_size);
	if (len)
		probe_mmap("mmap-zapped", argv[2], off, len);
	return 0;
}

static int do_as(char **argv)
{
	gid_t gid = atoi(argv[3]);

	if (setgroups(0, NULL) || setgid(gid) || setuid(atoi(argv[2])))
		return fail();
	execvp(argv[4], &argv[4]);
	return fail();
}

static int do_treeloc(char **argv)
{
	unsigned char rec[88], hdr[64];
	unsigned long long id = 0, tree = 0;
	char obj[4096];
	int i, fd;

	if (getxattr(argv[2], "trusted.verityfs", rec, sizeof(rec)) < 16)
		return fail();
	for (i = 7; i >= 0; i--)
		id = id << 8 | rec[8 + i];
	snprintf(obj, sizeof(obj), "%s/%016llx", argv[3], id);
	fd = open(obj, O_RDONLY);
	if (fd < 0 || pread(fd, hdr, sizeof(hdr), 0) != sizeof(hdr))
		return fail();
	/* tree_offset: bytes 24-31 of struct verityfs_object_header. */
	for (i = 7; i >= 0; i--)
		tree = tree << 8 | hdr[24 + i];
	printf("%s %llu\n", obj, tree);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vx-verity CMD ARGS (see the source)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[1], "enable"))
		return do_enable(argc, argv);
	if (!strcmp(argv[1], "measure") && argc >= 4)
		return do_measure(argv);
	if (!strcmp(argv[1], "readmeta") && argc >= 7)
		return do_readmeta(argc, argv);
	if (!strcmp(argv[1], "open") && argc >= 4)
		return do_open(argv);
	if (!strcmp(argv[1], "truncate") && argc >= 4) {
		if (truncate(argv[2], strtoll(argv[3], NULL, 0)))
			return fail();
		printf("ok\n");
		return 0;
	}
	if (!strcmp(argv[1], "statx"))
		return do_statx(argv);
	if (!strcmp(argv[1], "read") && argc >= 4)
		return do_read(argc, argv);
	if (!strcmp(argv[1], "mmap") && argc >= 5)
		return do_mmap(argv);
	if (!strcmp(argv[1], "attrs"))
		return do_attrs(argv);
	if (!strcmp(argv[1], "chunks") && argc >= 7)
		return do_chunks(argv);
	if (!strcmp(argv[1], "probe") && argc >= 6)
		return do_probe(argv);
	if (!strcmp(argv[1], "as") && argc >= 5)
		return do_as(argv);
	if (!strcmp(argv[1], "treeloc") && argc >= 4)
		return do_treeloc(argv);
	fprintf(stderr, "vx-verity: unknown command %s\n", argv[1]);
	return 2;
}
