// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-store: what the store-* cases need beyond the shell.
 *
 *   vx-store quota-get WHERE UID      prints "CURSPACE_BYTES BHARD_KIB"
 *   vx-store quota-set WHERE UID BHARD_KIB
 *       a user's block quota: the hard limit in 1 KiB units (0: none), the
 *       soft limit 0. WHERE is the block device of a filesystem mounted with
 *       user quota (quotactl), or a directory of it (quotactl_fd, 5.14+:
 *       tmpfs has no device). The guest has no quota-tools.
 *   vx-store scan OBJECT FILE FROM TO STEP
 *       for OFF = FROM, FROM+STEP, ... < TO: invert the byte at OFF of
 *       OBJECT (a file on the lower), drop the dentry and inode caches, open
 *       FILE (through verityfs) read-only, note the result, put the byte
 *       back. Prints "OFF:RESULT" for every OFF whose open was not EINVAL,
 *       then "scanned N". Exit 0 when it could run.
 *
 * Errors print the errno's name.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_quotactl_fd
#define SYS_quotactl_fd 443	/* the same number on every architecture */
#endif

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static int fail(const char *what)
{
	int e = errno;

	printf("%s\n", ename(e));
	fprintf(stderr, "vx-store: %s: %s\n", what, strerror(e));
	return 1;
}

static int do_quotactl(const char *where, int cmd, unsigned int id, struct dqblk *dq)
{
	struct stat st;
	int fd, rc, e;

	if (stat(where, &st))
		return -1;
	if (S_ISBLK(st.st_mode))
		return quotactl(QCMD(cmd, USRQUOTA), where, (int)id, (caddr_t)dq);
	fd = open(where, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -1;
	rc = syscall(SYS_quotactl_fd, fd, QCMD(cmd, USRQUOTA), id, dq);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int quota_get(const char *where, unsigned int uid)
{
	struct dqblk dq;

	memset(&dq, 0, sizeof(dq));
	if (do_quotactl(where, Q_GETQUOTA, uid, &dq))
		return fail("Q_GETQUOTA");
	/* dqb_curspace is in bytes, dqb_*limit in 1 KiB quota blocks. */
	printf("%llu %llu\n", (unsigned long long)dq.dqb_curspace,
	       (unsigned long long)dq.dqb_bhardlimit);
	return 0;
}

static int quota_set(const char *where, unsigned int uid, unsigned long long hard)
{
	struct dqblk dq;

	memset(&dq, 0, sizeof(dq));
	dq.dqb_bhardlimit = hard;
	dq.dqb_valid = QIF_BLIMITS;
	if (do_quotactl(where, Q_SETQUOTA, uid, &dq))
		return fail("Q_SETQUOTA");
	return 0;
}

static int flip(int fd, off_t off)
{
	unsigned char b;

	if (pread(fd, &b, 1, off) != 1)
		return -1;
	b ^= 0xff;
	return pwrite(fd, &b, 1, off) == 1 ? 0 : -1;
}

/* Drop unused dentries and inodes, so that the next open loads the file anew. */
static int drop_inodes(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = write(fd, "2", 1) == 1 ? 0 : -1;
	close(fd);
	return rc;
}

static int scan(const char *object, const char *file, long from, long to, long step)
{
	int ofd = open(object, O_RDWR);
	long off, n = 0;

	if (ofd < 0)
		return fail(object);
	for (off = from; off < to; off += step, n++) {
		int fd, e;

		if (flip(ofd, off) || drop_inodes())
			return fail("flip");
		fd = open(file, O_RDONLY);
		e = errno;
		if (fd >= 0)
			close(fd);
		if (fd >= 0 || e != EINVAL)
			printf("%ld:%s\n", off, fd >= 0 ? "ok" : ename(e));
		if (flip(ofd, off))
			return fail("flip back");
	}
	close(ofd);
	printf("scanned %ld\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc == 4 && !strcmp(argv[1], "quota-get"))
		return quota_get(argv[2], (unsigned int)strtoul(argv[3], NULL, 10));
	if (argc == 5 && !strcmp(argv[1], "quota-set"))
		return quota_set(argv[2], (unsigned int)strtoul(argv[3], NULL, 10),
				 strtoull(argv[4], NULL, 10));
	if (argc == 7 && !strcmp(argv[1], "scan") && atol(argv[6]) > 0)
		return scan(argv[2], argv[3], atol(argv[4]), atol(argv[5]), atol(argv[6]));
	fprintf(stderr, "usage: vx-store quota-get WHERE UID | quota-set WHERE UID BHARD_KIB |\n"
		"       scan OBJECT FILE FROM TO STEP\n");
	return 2;
}
