// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-kverity: what the kernel's own fs-verity knows of a file, for the
 * kverity-* cases (verity files that the rest of the kernel trusts).
 *
 *   vx-kverity kmeasure FILE [SIZE]   VERITYFS_IOC_KMEASURE (the self-testing
 *                                     module only): the digest fs/verity holds
 *                                     for FILE's inode as "ALG:HEX", or the
 *                                     errno's name (ENODATA: none). SIZE is
 *                                     the digest_size passed in (default 64).
 *   vx-kverity kmeasure-fd FD         the same on an already open descriptor
 *   vx-kverity measure FILE           FS_IOC_MEASURE_VERITY, in the same form
 *   vx-kverity cycles FILE N          N opens and closes of FILE; prints
 *                                     nothing, or the failing errno's name
 *   vx-kverity cycles-drop N EVERY FILE...
 *                                     N opens and closes, round robin over the
 *                                     FILEs, writing 3 to drop_caches after
 *                                     every EVERY of them (evictions between)
 *   vx-kverity exec FILE              run FILE with the argument "true" (a copy
 *                                     of this program then exits 0): "ok", the
 *                                     execve errno's name, or "exit N"
 *   vx-kverity true                   exit 0 (what `exec` runs)
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* struct fsverity_digest: a 4-byte header, then digest_size bytes */
struct vx_digest {
	uint16_t digest_algorithm;
	uint16_t digest_size;
	uint8_t digest[];
};

#define VX_IOC_MEASURE_VERITY	_IOWR('f', 134, struct vx_digest)
#define VX_IOC_KMEASURE		_IOWR('f', 0xf0, struct vx_digest)

#define VX_MAX_DIGEST		64

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ETXTBSY: return "ETXTBSY";
	case EOVERFLOW: return "EOVERFLOW";
	case ENODATA: return "ENODATA";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOEXEC: return "ENOEXEC";
	case EKEYREJECTED: return "EKEYREJECTED";
	case ENOKEY: return "ENOKEY";
	case EBADMSG: return "EBADMSG";
	default: return "E?";
	}
}

static const char *algname(unsigned int alg)
{
	switch (alg) {
	case 1: return "sha256";
	case 2: return "sha512";
	default: return "alg?";
	}
}

static int bad_args(void)
{
	fputs("usage: vx-kverity kmeasure FILE [SIZE] | kmeasure-fd FD | measure FILE\n", stderr);
	fputs("       vx-kverity cycles FILE N | cycles-drop N EVERY FILE... | exec FILE | true\n",
	      stderr);
	return 2;
}

/* Print the digest that CMD gives on FD, or the errno's name. */
static int measure_fd(int fd, unsigned long cmd, unsigned int size)
{
	union {
		struct vx_digest d;
		uint8_t raw[sizeof(struct vx_digest) + VX_MAX_DIGEST];
	} u;
	unsigned int i;

	if (size > VX_MAX_DIGEST)
		size = VX_MAX_DIGEST;
	memset(&u, 0, sizeof(u));
	u.d.digest_size = size;
	if (ioctl(fd, cmd, &u.d) < 0) {
		printf("%s\n", errname(errno));
		return 1;
	}
	if (u.d.digest_size > size) {
		printf("digest_size %u > %u\n", u.d.digest_size, size);
		return 1;
	}
	printf("%s:", algname(u.d.digest_algorithm));
	for (i = 0; i < u.d.digest_size; i++)
		printf("%02x", u.d.digest[i]);
	printf("\n");
	return 0;
}

static int measure_file(const char *path, unsigned long cmd, unsigned int size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		printf("open:%s\n", errname(errno));
		return 1;
	}
	ret = measure_fd(fd, cmd, size);
	close(fd);
	return ret;
}

static int drop_all_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, "3\n", 2) == 2;
	close(fd);
	return ok ? 0 : -1;
}

/* N opens and closes of FILES[0..NFILES), round robin; a drop every EVERY. */
static int cycles(char **files, int nfiles, long n, long every)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		fd = open(files[i % nfiles], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			printf("open %s: %s\n", files[i % nfiles], errname(errno));
			return 1;
		}
		close(fd);
		if (every > 0 && (i + 1) % every == 0 && drop_all_caches() < 0) {
			printf("drop_caches: %s\n", errname(errno));
			return 1;
		}
	}
	return 0;
}

static int run(const char *path)
{
	int pipefd[2], status, err = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		char *argv[] = { (char *)path, "true", NULL };
		char *envp[] = { NULL };

		execve(path, argv, envp);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	if (err)
		printf("%s\n", errname(err));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		printf("ok\n");
	else if (WIFEXITED(status))
		printf("exit %d\n", WEXITSTATUS(status));
	else
		printf("signal %d\n", WTERMSIG(status));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return bad_args();
	if (!strcmp(argv[1], "true"))
		return 0;
	if (!strcmp(argv[1], "kmeasure") && (argc == 3 || argc == 4))
		return measure_file(argv[2], VX_IOC_KMEASURE,
				    argc == 4 ? strtoul(argv[3], NULL, 0) : VX_MAX_DIGEST);
	if (!strcmp(argv[1], "kmeasure-fd") && argc == 3)
		return measure_fd(atoi(argv[2]), VX_IOC_KMEASURE, VX_MAX_DIGEST);
	if (!strcmp(argv[1], "measure") && argc == 3)
		return measure_file(argv[2], VX_IOC_MEASURE_VERITY, VX_MAX_DIGEST);
	if (!strcmp(argv[1], "cycles") && argc == 4)
		return cycles(&argv[2], 1, atol(argv[3]), 0);
	if (!strcmp(argv[1], "cycles-drop") && argc >= 5)
		return cycles(&argv[4], argc - 4, atol(argv[2]), atol(argv[3]));
	if (!strcmp(argv[1], "exec") && argc == 3)
		return run(argv[2]);
	return bad_args();
}
