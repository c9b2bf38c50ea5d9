// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-bench: the timed parts of the read benchmark (bench-* cases). Each mode
 * prints one line "<nanoseconds> <bytes>" on stdout and exits non-zero on any
 * error, a short read included, so that a benchmark run fails loudly instead
 * of timing an error path.
 *
 *   vx-bench seq FILE [CHUNK]        read FILE start to end, CHUNK bytes per read
 *                                    (default 128 KiB)
 *   vx-bench rand FILE COUNT SEED    COUNT preads of 4 KiB at block offsets drawn
 *                                    from a fixed generator seeded with SEED: the
 *                                    same offsets for every file of one size
 *   vx-bench run CMD [ARG...]        run CMD, time it, fail when it fails
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "vx-bench: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

static int open_file(const char *path, off_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		die("open", path);
	*size = st.st_size;
	return fd;
}

static int bench_seq(const char *path, size_t chunk)
{
	off_t size, done = 0;
	int fd = open_file(path, &size);
	char *buf = malloc(chunk);
	uint64_t t0;

	if (!buf)
		die("malloc", path);
	t0 = now_ns();
	for (;;) {
		ssize_t n = read(fd, buf, chunk);

		if (n < 0)
			die("read", path);
		if (n == 0)
			break;
		done += n;
	}
	printf("%llu %lld\n", (unsigned long long)(now_ns() - t0), (long long)done);
	if (done != size) {
		fprintf(stderr, "vx-bench: %s: read %lld of %lld bytes\n", path,
			(long long)done, (long long)size);
		return 1;
	}
	return 0;
}

/* xorshift64*: small, fixed, and the same on every run and every file. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static int bench_rand(const char *path, long count, uint64_t seed)
{
	off_t size;
	int fd = open_file(path, &size);
	uint64_t blocks = size / 4096, s = seed ? seed : 1, t0;
	char buf[4096];
	long i;

	if (!blocks) {
		fprintf(stderr, "vx-bench: %s: smaller than one block\n", path);
		return 1;
	}
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		off_t off = (off_t)(next_rand(&s) % blocks) * 4096;

		if (pread(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			die("pread", path);
	}
	printf("%llu %lld\n", (unsigned long long)(now_ns() - t0), (long long)count * 4096);
	return 0;
}

static int bench_run(char **argv)
{
	uint64_t t0 = now_ns();
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork", argv[0]);
	if (pid == 0) {
		execvp(argv[0], argv);
		die("exec", argv[0]);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("wait", argv[0]);
	printf("%llu 0\n", (unsigned long long)(now_ns() - t0));
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "vx-bench: %s failed (status %d)\n", argv[0], status);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "seq"))
		return bench_seq(argv[2], argc > 3 ? strtoul(argv[3], NULL, 0) : 128 << 10);
	if (argc == 5 && !strcmp(argv[1], "rand"))
		return bench_rand(argv[2], strtol(argv[3], NULL, 0),
				  strtoull(argv[4], NULL, 0));
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return bench_run(argv + 2);
	fprintf(stderr, "usage: vx-bench seq FILE [CHUNK] | rand FILE COUNT SEED | run CMD...\n");
	return 2;
}
