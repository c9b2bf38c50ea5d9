// SPDX-License-Identifier: GPL-2.0-only
/*
 * vx-fsx: a small fsx-style random operation run against one file, with the
 * whole file compared against an in-memory model after every step.
 *
 * usage: vx-fsx FILE [-s SEED] [-n OPS] [-t SECONDS] [-l MAXLEN] [-L LOWERFILE]
 *
 * Operations: write, read, truncate, mapped read, mapped (shared) write,
 * fallocate (keep size / punch hole / extend), fsync, fdatasync, reopen,
 * O_DIRECT-free. With -L the same file is also read through its lower path
 * after every step, so the upper and lower views must agree too.
 *
 * Exit 0 when every check passed; 1 with the failing step printed otherwise.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif

static unsigned char *model;
static unsigned char *scratch;
static size_t model_size;
static size_t maxlen = 256 * 1024;
static uint64_t rng_state;
static const char *path, *lower_path;
static int fd;
static long step;
static int punch_ok = 1, falloc_ok = 1;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, same sequence everywhere. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void die(const char *what)
{
	printf("vx-fsx: step %ld: %s: %s\n", step, what, strerror(errno));
	exit(1);
}

static void fail(const char *what, size_t off)
{
	printf("vx-fsx: step %ld: %s differs at offset %zu (size %zu)\n", step, what, off,
	       model_size);
	exit(1);
}

static void compare_fd(int f, const char *what)
{
	struct stat st;
	size_t i;
	ssize_t n;

	if (fstat(f, &st))
		die("fstat");
	if ((size_t)st.st_size != model_size) {
		printf("vx-fsx: step %ld: %s size %lld, model %zu\n", step, what,
		       (long long)st.st_size, model_size);
		exit(1);
	}
	n = pread(f, scratch, model_size, 0);
	if (n != (ssize_t)model_size)
		die("pread for check");
	if (memcmp(scratch, model, model_size)) {
		for (i = 0; i < model_size && scratch[i] == model[i]; i++)
			;
		fail(what, i);
	}
}

static void check_all(void)
{
	compare_fd(fd, "file");
	if (lower_path) {
		int l = open(lower_path, O_RDONLY);

		if (l < 0)
			die("open lower");
		compare_fd(l, "lower view");
		close(l);
	}
}

static void op_write(void)
{
	size_t off = rnd() % maxlen, len = 1 + rnd() % 65536, i;

	if (off + len > maxlen)
		len = maxlen - off;
	for (i = 0; i < len; i++)
		scratch[i] = (unsigned char)rnd();
	if (pwrite(fd, scratch, len, off) != (ssize_t)len)
		die("pwrite");
	memcpy(model + off, scratch, len);
	if (off + len > model_size)
		model_size = off + len;
}

static void op_read(void)
{
	size_t off, len;

	if (!model_size)
		return;
	off = rnd() % model_size;
	len = 1 + rnd() % (model_size - off);
	if (pread(fd, scratch, len, off) != (ssize_t)len)
		die("pread");
	if (memcmp(scratch, model + off, len))
		fail("read", off);
}

static void op_truncate(void)
{
	size_t size = rnd() % maxlen;

	if (ftruncate(fd, size))
		die("ftruncate");
	if (size > model_size)
		memset(model + model_size, 0, size - model_size);
	model_size = size;
	/* Bytes past the end read as zero when the file grows again. */
	memset(model + model_size, 0, maxlen - model_size);
}

static void op_mapread(void)
{
	size_t off, len, page = 4096, start;
	unsigned char *p;

	if (!model_size)
		return;
	off = rnd() % model_size;
	len = 1 + rnd() % (model_size - off);
	start = off & ~(page - 1);
	p = mmap(NULL, off + len - start, PROT_READ, MAP_SHARED, fd, start);
	if (p == MAP_FAILED)
		die("mmap read");
	if (memcmp(p + (off - start), model + off, len))
		fail("mapped read", off);
	munmap(p, off + len - start);
}

static void op_mapwrite(void)
{
	size_t off, len, page = 4096, start, i;
	unsigned char *p;

	if (!model_size)
		return;
	off = rnd() % model_size;
	len = 1 + rnd() % (model_size - off);
	if (len > 65536)
		len = 65536;
	start = off & ~(page - 1);
	p = mmap(NULL, off + len - start, PROT_READ | PROT_WRITE, MAP_SHARED, fd, start);
	if (p == MAP_FAILED)
		die("mmap write");
	for (i = 0; i < len; i++)
		model[off + i] = p[off - start + i] = (unsigned char)rnd();
	if (rnd() % 2 && msync(p, off + len - start, MS_SYNC))
		die("msync");
	munmap(p, off + len - start);
}

static void op_falloc(void)
{
	size_t off = rnd() % maxlen, len = 1 + rnd() % 65536;
	int mode = (int)(rnd() % 3);

	if (off + len > maxlen)
		len = maxlen - off;
	if (mode == 2 && punch_ok) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len)) {
			if (errno != EOPNOTSUPP)
				die("punch hole");
			punch_ok = 0;
			return;
		}
		if (off < model_size)
			memset(model + off, 0, (off + len > model_size ? model_size : off + len) - off);
		return;
	}
	if (!falloc_ok)
		return;
	if (fallocate(fd, mode == 1 ? FALLOC_FL_KEEP_SIZE : 0, off, len)) {
		if (errno != EOPNOTSUPP)
			die("fallocate");
		falloc_ok = 0;
		return;
	}
	if (mode == 0 && off + len > model_size)
		model_size = off + len;
}

static void reopen(void)
{
	if (close(fd))
		die("close");
	fd = open(path, O_RDWR);
	if (fd < 0)
		die("reopen");
}

int main(int argc, char **argv)
{
	long ops = 2000, seconds = 60;
	unsigned long long seed = 1;
	time_t end;
	int c;

	if (argc < 2) {
		fprintf(stderr, "usage: vx-fsx FILE [-s SEED] [-n OPS] [-t SECONDS] [-l MAXLEN] [-L LOWERFILE]\n");
		return 2;
	}
	path = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "s:n:t:l:L:")) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': ops = atol(optarg); break;
		case 't': seconds = atol(optarg); break;
		case 'l': maxlen = strtoul(optarg, NULL, 0); break;
		case 'L': lower_path = optarg; break;
		default: return 2;
		}
	}
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 1;
	model = calloc(1, maxlen);
	scratch = malloc(maxlen + 65536);
	if (!model || !scratch)
		return 2;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("open");
	end = time(NULL) + seconds;
	for (step = 0; step < ops && time(NULL) < end; step++) {
		switch (rnd() % 12) {
		case 0: case 1: case 2: op_write(); break;
		case 3: case 4: op_read(); break;
		case 5: op_truncate(); break;
		case 6: op_mapread(); break;
		case 7: op_mapwrite(); break;
		case 8: op_falloc(); break;
		case 9: if (fsync(fd)) die("fsync"); break;
		case 10: if (fdatasync(fd)) die("fdatasync"); break;
		case 11: reopen(); break;
		}
		check_all();
	}
	printf("vx-fsx: %ld operations, seed %llu, final size %zu: ok\n", step, seed, model_size);
	return 0;
}
