// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-sys: single system calls for the stacking test cases, each printing
 * "ok" or the errno's name, so that a case can compare a native lower with
 * verityfs line by line.
 *
 *   vx-sys rename OLD NEW [noreplace|exchange]   renameat2
 *   vx-sys tmpfile DIR                           open(O_TMPFILE), write, linkat
 *   vx-sys odirect FILE                          O_DIRECT write + read of 4 KiB
 *   vx-sys flock FILE                            flock(2) exclusion across two fds
 *   vx-sys posixlock FILE                        fcntl lock seen by another process
 *   vx-sys mmap FILE                             shared mmap write, read back by read(2)
 *   vx-sys readdir DIR                           sorted "name type" lines
 *   vx-sys seekdir DIR                           telldir/seekdir replay matches
 *   vx-sys acl FILE                              set a POSIX access ACL (user 1000 r)
 *   vx-sys sendfile IN OUT                       sendfile(2) all of IN to OUT
 *   vx-sys splice IN OUT                         splice IN -> pipe -> OUT
 *   vx-sys race DIR ITER                         rename and link races, 2 processes
 *   vx-sys open FILE                             open(O_RDONLY)
 *   vx-sys pread1 FILE OFFSET                    one page read, no readahead
 *   vx-sys enable3 FILE                          FS_IOC_ENABLE_VERITY on an open of
 *                                                access mode 3 (no read, no write)
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "vx-abi.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case EACCES: return "EACCES";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EXDEV: return "EXDEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOSYS: return "ENOSYS";
	case ENOTTY: return "ENOTTY";
	case ESTALE: return "ESTALE";
	case EINTR: return "EINTR";
	case ETXTBSY: return "ETXTBSY";
	case EMSGSIZE: return "EMSGSIZE";
	default: return "E?";
	}
}

static int report(int rc)
{
	if (rc < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int do_rename(int argc, char **argv)
{
	unsigned int flags = 0;

	if (argc > 4 && !strcmp(argv[4], "noreplace"))
		flags = RENAME_NOREPLACE;
	if (argc > 4 && !strcmp(argv[4], "exchange"))
		flags = RENAME_EXCHANGE;
	return report(syscall(SYS_renameat2, AT_FDCWD, argv[2], AT_FDCWD, argv[3], flags));
}

static int do_tmpfile(char **argv)
{
	char path[4096], proc[64];
	int fd = open(argv[2], O_TMPFILE | O_RDWR, 0600);

	if (fd < 0)
		return report(fd);
	if (write(fd, "tmp\n", 4) != 4)
		return report(-1);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(path, sizeof(path), "%s/tmpfile-linked", argv[2]);
	return report(linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW));
}

static int do_odirect(char **argv)
{
	void *buf, *back;
	int fd;

	if (posix_memalign(&buf, 4096, 4096) || posix_memalign(&back, 4096, 4096))
		return 2;
	memset(buf, 0x5a, 4096);
	fd = open(argv[2], O_RDWR | O_CREAT | O_DIRECT, 0644);
	if (fd < 0)
		return report(fd);
	if (pwrite(fd, buf, 4096, 0) != 4096 || pread(fd, back, 4096, 0) != 4096)
		return report(-1);
	if (memcmp(buf, back, 4096)) {
		printf("mismatch\n");
		return 1;
	}
	return report(close(fd));
}

static int do_flock(char **argv)
{
	int a = open(argv[2], O_RDWR), b = open(argv[2], O_RDWR);

	if (a < 0 || b < 0)
		return report(-1);
	if (flock(a, LOCK_EX | LOCK_NB))
		return report(-1);
	if (!flock(b, LOCK_EX | LOCK_NB)) {
		printf("second lock granted\n");
		return 1;
	}
	if (errno != EWOULDBLOCK)
		return report(-1);
	flock(a, LOCK_UN);
	return report(flock(b, LOCK_EX | LOCK_NB));
}

static int do_posixlock(char **argv)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	int fd = open(argv[2], O_RDWR), st;
	pid_t pid;

	if (fd < 0 || fcntl(fd, F_SETLK, &fl))
		return report(-1);
	pid = fork();
	if (pid == 0) {
		int c = open(argv[2], O_RDWR);
		struct flock t = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1 };

		if (c < 0 || fcntl(c, F_GETLK, &t))
			_exit(2);
		_exit(t.l_type == F_WRLCK && t.l_pid == getppid() ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("lock not seen by another process\n");
		return 1;
	}
	return report(0);
}

static int do_mmap(char **argv)
{
	char back[8192];
	char *p;
	int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0644), i;

	if (fd < 0 || ftruncate(fd, 8192))
		return report(-1);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return report(-1);
	for (i = 0; i < 8192; i++)
		p[i] = (char)(i * 7);
	if (msync(p, 8192, MS_SYNC))
		return report(-1);
	if (pread(fd, back, 8192, 0) != 8192 || memcmp(p, back, 8192)) {
		printf("mismatch\n");
		return 1;
	}
	munmap(p, 8192);
	return report(close(fd));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int do_readdir(char **argv)
{
	char *lines[4096];
	struct dirent *de;
	int n = 0, i;
	DIR *d = opendir(argv[2]);

	if (!d)
		return report(-1);
	while ((de = readdir(d)) && n < 4096) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&lines[n], "%s %d", de->d_name, de->d_type) < 0)
			return 2;
		n++;
	}
	closedir(d);
	qsort(lines, n, sizeof(lines[0]), cmp_names);
	for (i = 0; i < n; i++)
		printf("%s\n", lines[i]);
	return 0;
}

static int do_seekdir(char **argv)
{
	char names[512][256];
	long pos[512];
	struct dirent *de;
	int n = 0, i, mid;
	DIR *d = opendir(argv[2]);

	if (!d)
		return report(-1);
	for (;;) {
		long p = telldir(d);

		de = readdir(d);
		if (!de || n == 512)
			break;
		pos[n] = p;
		snprintf(names[n], sizeof(names[n]), "%s", de->d_name);
		n++;
	}
	mid = n / 2;
	seekdir(d, pos[mid]);
	for (i = mid; i < n; i++) {
		de = readdir(d);
		if (!de || strcmp(de->d_name, names[i])) {
			printf("seekdir replay differs at %d of %d\n", i, n);
			return 1;
		}
	}
	closedir(d);
	printf("ok\n");
	return 0;
}

/* A POSIX ACL in xattr form: version 2 header, then (tag, perm, id) entries. */
static int do_acl(char **argv)
{
	uint32_t acl[1 + 5 * 2];
	uint16_t *e = (uint16_t *)&acl[1];
	static const uint16_t ent[5][2] = {
		{ 0x01, 6 }, { 0x02, 4 }, { 0x04, 4 }, { 0x10, 4 }, { 0x20, 4 },
	};
	static const uint32_t ids[5] = { (uint32_t)-1, 1000, (uint32_t)-1, (uint32_t)-1,
					 (uint32_t)-1 };
	int i;

	acl[0] = 2;
	for (i = 0; i < 5; i++) {
		e[i * 4 + 0] = ent[i][0];
		e[i * 4 + 1] = ent[i][1];
		memcpy(&e[i * 4 + 2], &ids[i], 4);
	}
	return report(setxattr(argv[2], "system.posix_acl_access", acl, sizeof(acl), 0));
}

static int do_sendfile(char **argv)
{
	int in = open(argv[2], O_RDONLY), out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct stat st;
	ssize_t n;

	if (in < 0 || out < 0 || fstat(in, &st))
		return report(-1);
	while (st.st_size > 0) {
		n = sendfile(out, in, NULL, st.st_size);
		if (n <= 0)
			return report(-1);
		st.st_size -= n;
	}
	return report(close(out));
}

static int do_splice(char **argv)
{
	int in = open(argv[2], O_RDONLY), out = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int p[2];
	ssize_t n, m;

	if (in < 0 || out < 0 || pipe(p))
		return report(-1);
	for (;;) {
		n = splice(in, NULL, p[1], NULL, 65536, 0);
		if (n < 0)
			return report(-1);
		if (!n)
			break;
		while (n > 0) {
			m = splice(p[0], NULL, out, NULL, n, 0);
			if (m <= 0)
				return report(-1);
			n -= m;
		}
	}
	return report(close(out));
}

/*
 * Two processes race on one directory: one renames a<->b (plain, noreplace
 * and exchange), the other links and unlinks whichever exists and stats
 * both. In the end exactly the names the model predicts must exist.
 */
static int do_race(char **argv)
{
	char a[4096], b[4096], c[4096], l[4096];
	int iters = atoi(argv[3]), i, st, fd;
	pid_t pid;

	snprintf(a, sizeof(a), "%s/a", argv[2]);
	snprintf(b, sizeof(b), "%s/b", argv[2]);
	snprintf(c, sizeof(c), "%s/c", argv[2]);
	fd = open(a, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return report(-1);
	close(fd);
	fd = open(c, O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		return report(-1);
	close(fd);
	pid = fork();
	if (pid == 0) {
		struct stat s;

		for (i = 0; i < iters; i++) {
			snprintf(l, sizeof(l), "%s/l%d", argv[2], i % 7);
			if (!link(a, l) || !link(b, l))
				unlink(l);
			stat(a, &s);
			stat(b, &s);
			syscall(SYS_renameat2, AT_FDCWD, c, AT_FDCWD, b, RENAME_EXCHANGE);
		}
		_exit(0);
	}
	for (i = 0; i < iters; i++) {
		if (rename(a, b))
			rename(b, a);
		syscall(SYS_renameat2, AT_FDCWD, b, AT_FDCWD, a, RENAME_NOREPLACE);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	/* Two regular files (a or b, and c or b) and no link left behind. */
	i = !access(a, F_OK) + !access(b, F_OK) + !access(c, F_OK);
	if (i != 2) {
		printf("%d of a, b, c exist, want 2\n", i);
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int do_open(char **argv)
{
	int fd = open(argv[2], O_RDONLY);

	return report(fd < 0 ? fd : close(fd));
}

/*
 * Read one page at OFFSET with readahead off (POSIX_FADV_RANDOM), so that a
 * corrupted block costs exactly one page fill and one log line.
 */
static int do_pread1(char **argv)
{
	char buf[4096];
	int fd = open(argv[2], O_RDONLY);

	if (fd < 0)
		return report(fd);
	errno = posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	if (errno)
		return report(-1);
	return report(pread(fd, buf, sizeof(buf), atoll(argv[3])) < 0 ? -1 : 0);
}

/* FS_IOC_ENABLE_VERITY, with the argument of vx-abi.h */
#define VX_FS_IOC_ENABLE_VERITY _IOW('f', 133, struct vx_enable_arg)

/*
 * Access mode 3 (O_WRONLY|O_RDWR) opens a file for ioctls only: the file has
 * neither FMODE_READ nor FMODE_WRITE, so enable cannot read the data (EBADF
 * upstream since 6.3.1/6.4).
 */
static int do_enable3(char **argv)
{
	struct vx_enable_arg arg = { .version = 1, .hash_algorithm = 1, .block_size = 4096 };
	int fd = open(argv[2], O_ACCMODE);

	if (fd < 0)
		return report(fd);
	return report(ioctl(fd, VX_FS_IOC_ENABLE_VERITY, &arg));
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vx-sys CMD ARGS (see the source)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(argv[1], "rename") && argc >= 4)
		return do_rename(argc, argv);
	if (!strcmp(argv[1], "tmpfile"))
		return do_tmpfile(argv);
	if (!strcmp(argv[1], "odirect"))
		return do_odirect(argv);
	if (!strcmp(argv[1], "flock"))
		return do_flock(argv);
	if (!strcmp(argv[1], "posixlock"))
		return do_posixlock(argv);
	if (!strcmp(argv[1], "mmap"))
		return do_mmap(argv);
	if (!strcmp(argv[1], "readdir"))
		return do_readdir(argv);
	if (!strcmp(argv[1], "seekdir"))
		return do_seekdir(argv);
	if (!strcmp(argv[1], "acl"))
		return do_acl(argv);
	if (!strcmp(argv[1], "sendfile") && argc >= 4)
		return do_sendfile(argv);
	if (!strcmp(argv[1], "splice") && argc >= 4)
		return do_splice(argv);
	if (!strcmp(argv[1], "race") && argc >= 4)
		return do_race(argv);
	if (!strcmp(argv[1], "open"))
		return do_open(argv);
	if (!strcmp(argv[1], "pread1") && argc >= 4)
		return do_pread1(argv);
	if (!strcmp(argv[1], "enable3"))
		return do_enable3(argv);
	fprintf(stderr, "vx-sys: unknown command %s\n", argv[1]);
	return 2;
}
