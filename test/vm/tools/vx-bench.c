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
 *   vx-bench write FILE MIB          write MIB MiB of a fixed pattern in 1 MiB
 *                                    writes, then fsync (timed together)
 *   vx-bench randw FILE COUNT SEED   COUNT pwrites of 4 KiB at the offsets of
 *                                    "rand", then fsync (timed together)
 *   vx-bench meta OP DIR N [SIZE]    one metadata operation on each of N files
 *                                    DIR/dNNN/fNNNNNN (1000 per directory):
 *                                    create (mkdir, create and write SIZE bytes,
 *                                    default 100), enable (FS_IOC_ENABLE_VERITY,
 *                                    SHA-256, 4 KiB), stat, open (open+close),
 *                                    readdir (every directory, entries counted),
 *                                    rename (fN -> rN), unlink (the rN, then the
 *                                    directories); "<ns> <files>"
 *   vx-bench mem DIR N OUT           memory of N verity files (as created by
 *                                    meta): /proc/slabinfo and the Slab: line
 *                                    of /proc/meminfo copied to OUT.K after each
 *                                    step K: 0 start, 1 all looked up (stat),
 *                                    2 all open, 3 all closed again
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
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
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

static int bench_write(const char *path, long mib)
{
	size_t chunk = 1 << 20;
	char *buf = malloc(chunk);
	uint64_t t0;
	long i;
	int fd;

	if (!buf)
		die("malloc", path);
	for (i = 0; i < (long)chunk; i++)
		buf[i] = (char)(i * 131 + 7);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open", path);
	t0 = now_ns();
	for (i = 0; i < mib; i++)
		if (write(fd, buf, chunk) != (ssize_t)chunk)
			die("write", path);
	if (fsync(fd))
		die("fsync", path);
	printf("%llu %lld\n", (unsigned long long)(now_ns() - t0), (long long)mib << 20);
	close(fd);
	return 0;
}

static int bench_randw(const char *path, long count, uint64_t seed)
{
	struct stat st;
	uint64_t blocks, s = seed ? seed : 1, t0;
	char buf[4096];
	long i;
	int fd = open(path, O_WRONLY);

	if (fd < 0 || fstat(fd, &st))
		die("open", path);
	blocks = st.st_size / 4096;
	if (!blocks) {
		fprintf(stderr, "vx-bench: %s: smaller than one block\n", path);
		return 1;
	}
	memset(buf, 0x5a, sizeof(buf));
	t0 = now_ns();
	for (i = 0; i < count; i++) {
		off_t off = (off_t)(next_rand(&s) % blocks) * 4096;

		if (pwrite(fd, buf, sizeof(buf), off) != (ssize_t)sizeof(buf))
			die("pwrite", path);
	}
	if (fsync(fd))
		die("fsync", path);
	printf("%llu %lld\n", (unsigned long long)(now_ns() - t0), (long long)count * 4096);
	close(fd);
	return 0;
}

/* The FS_IOC_ENABLE_VERITY argument, as in the upstream UAPI. */
struct vx_enable_arg {
	uint32_t version, hash_algorithm, block_size, salt_size;
	uint64_t salt_ptr;
	uint32_t sig_size, __reserved1;
	uint64_t sig_ptr;
	uint64_t __reserved2[11];
};
#define VX_IOC_ENABLE_VERITY	_IOW('f', 133, struct vx_enable_arg)

#define META_PER_DIR	1000

static void meta_name(char *buf, size_t len, const char *dir, long i, char kind)
{
	if (kind == 'd')
		snprintf(buf, len, "%s/d%03ld", dir, i / META_PER_DIR);
	else
		snprintf(buf, len, "%s/d%03ld/%c%06ld", dir, i / META_PER_DIR, kind, i);
}

static void meta_one(const char *op, const char *dir, long i, long size, const char *data)
{
	char name[4096], to[4096];
	struct stat st;
	int fd;

	meta_name(name, sizeof(name), dir, i, 'f');
	if (!strcmp(op, "create")) {
		if (i % META_PER_DIR == 0) {
			meta_name(to, sizeof(to), dir, i, 'd');
			if (mkdir(to, 0755) && errno != EEXIST)
				die("mkdir", to);
		}
		fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, data, size) != size || close(fd))
			die("create", name);
	} else if (!strcmp(op, "enable")) {
		struct vx_enable_arg arg;

		memset(&arg, 0, sizeof(arg));
		arg.version = 1;
		arg.hash_algorithm = 1;
		arg.block_size = 4096;
		fd = open(name, O_RDONLY);
		if (fd < 0 || ioctl(fd, VX_IOC_ENABLE_VERITY, &arg) || close(fd))
			die("enable", name);
	} else if (!strcmp(op, "stat")) {
		if (lstat(name, &st))
			die("stat", name);
	} else if (!strcmp(op, "open")) {
		fd = open(name, O_RDONLY);
		if (fd < 0 || close(fd))
			die("open", name);
	} else if (!strcmp(op, "rename")) {
		meta_name(to, sizeof(to), dir, i, 'r');
		if (rename(name, to))
			die("rename", name);
	} else if (!strcmp(op, "unlink")) {
		meta_name(to, sizeof(to), dir, i, 'r');
		if (unlink(to))
			die("unlink", to);
	} else {
		fprintf(stderr, "vx-bench: unknown meta op %s\n", op);
		exit(2);
	}
}

static long meta_readdir(const char *dir, long n)
{
	char name[4096];
	long d, entries = 0;

	for (d = 0; d * META_PER_DIR < n; d++) {
		DIR *dp;
		struct dirent *de;

		meta_name(name, sizeof(name), dir, d * META_PER_DIR, 'd');
		dp = opendir(name);
		if (!dp)
			die("opendir", name);
		while ((de = readdir(dp)))
			entries++;
		closedir(dp);
	}
	return entries;
}

static int bench_meta(const char *op, const char *dir, long n, long size)
{
	char *data = calloc(1, size ? size : 1);
	char name[4096];
	uint64_t t0, t;
	long i, count = n;

	if (!data)
		die("malloc", dir);
	memset(data, 'x', size);
	t0 = now_ns();
	if (!strcmp(op, "readdir")) {
		count = meta_readdir(dir, n);
	} else {
		for (i = 0; i < n; i++)
			meta_one(op, dir, i, size, data);
		if (!strcmp(op, "unlink"))
			for (i = 0; i < n; i += META_PER_DIR) {
				meta_name(name, sizeof(name), dir, i, 'd');
				if (rmdir(name))
					die("rmdir", name);
			}
	}
	t = now_ns() - t0;
	printf("%llu %ld\n", (unsigned long long)t, count);
	free(data);
	return 0;
}

/* Copy /proc/slabinfo and the Slab: line of /proc/meminfo to OUT.K, counters folded first. */
static void mem_snapshot(const char *out, int k)
{
	char name[4096], line[1024];
	FILE *in, *o;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		ssize_t n = write(fd, "1", 1);

		(void)n;	/* only a refresh of the counters */
		close(fd);
	}
	snprintf(name, sizeof(name), "%s.%d", out, k);
	o = fopen(name, "w");
	if (!o)
		die("fopen", name);
	in = fopen("/proc/meminfo", "r");
	while (in && fgets(line, sizeof(line), in))
		if (!strncmp(line, "Slab:", 5))
			fputs(line, o);
	if (in)
		fclose(in);
	in = fopen("/proc/slabinfo", "r");
	while (in && fgets(line, sizeof(line), in))
		fputs(line, o);
	if (in)
		fclose(in);
	fclose(o);
}

static int bench_mem(const char *dir, long n, const char *out)
{
	char name[4096];
	struct stat st;
	int *fds = calloc(n, sizeof(int));
	struct rlimit rl;
	long i;

	if (!fds)
		die("malloc", dir);
	/* N files open at once: more than the default 1024 descriptors. */
	rl.rlim_cur = rl.rlim_max = n + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", dir);
	mem_snapshot(out, 0);
	for (i = 0; i < n; i++) {
		meta_name(name, sizeof(name), dir, i, 'f');
		if (lstat(name, &st))
			die("stat", name);
	}
	mem_snapshot(out, 1);
	for (i = 0; i < n; i++) {
		meta_name(name, sizeof(name), dir, i, 'f');
		fds[i] = open(name, O_RDONLY);
		if (fds[i] < 0)
			die("open", name);
	}
	mem_snapshot(out, 2);
	for (i = 0; i < n; i++)
		close(fds[i]);
	mem_snapshot(out, 3);
	free(fds);
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
	if (argc == 4 && !strcmp(argv[1], "write"))
		return bench_write(argv[2], strtol(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "randw"))
		return bench_randw(argv[2], strtol(argv[3], NULL, 0),
				   strtoull(argv[4], NULL, 0));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "meta"))
		return bench_meta(argv[2], argv[3], strtol(argv[4], NULL, 0),
				  argc == 6 ? strtol(argv[5], NULL, 0) : 100);
	if (argc == 5 && !strcmp(argv[1], "mem"))
		return bench_mem(argv[2], strtol(argv[3], NULL, 0), argv[4]);
	fprintf(stderr, "usage: vx-bench seq FILE [CHUNK] | rand FILE COUNT SEED | run CMD... |\n"
		"       write FILE MIB | randw FILE COUNT SEED | meta OP DIR N [SIZE] | mem DIR N OUT\n");
	return 2;
}
