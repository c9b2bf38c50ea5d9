// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs benchmark: Merkle tree build throughput of the core on a file.
 * Copyright (C) 2026 The verityfs authors
 *
 * usage: bench_core FILE ALG BLOCK_SIZE [1way|2way] [REPEAT]
 * Prints "bench <alg>/<bs> <mode>: <MB/s> MB/s (<seconds> s, digest <hex>)",
 * best of REPEAT runs. The file is read with pread() into the core's
 * workspace, as `fsverity digest` reads with read(), so the two compare fairly.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <verityfs/core.h>
#include "../lib/host_hash.h"

static int file_read(void *ctx, u64 pos, void *buf, size_t len)
{
	int fd = *(int *)ctx;

	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)pos);

		if (n <= 0)
			return -EIO;
		buf = (u8 *)buf + n;
		pos += n;
		len -= n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct verityfs_core_params p;
	u8 root[64], desc[256], dg[64];
	double best = 1e30;
	struct stat st;
	int fd, i, rep, err;
	u32 alg, bs, log = 0;
	size_t ws_size;
	void *ws;

	if (argc < 4)
		return 2;
	alg = strcmp(argv[2], "sha512") ? 1 : 2;
	bs = atoi(argv[3]);
	rep = argc > 5 ? atoi(argv[5]) : 3;
	while ((1U << log) < bs)
		log++;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return 1;
	err = verityfs_core_init_params(&p, verityfs_core_host_hash(alg, argc > 4 && !strcmp(argv[4], "2way")),
					alg, log, NULL, 0, st.st_size);
	if (err)
		return 1;
	/* 256 KiB reads: big enough to amortise the syscall, small enough for L2. */
	ws_size = verityfs_core_build_ws_size(&p, 256 << 10);
	ws = aligned_alloc(4096, (ws_size + 4095) & ~(size_t)4095);
	for (i = 0; i < rep; i++) {
		struct timespec a, b;
		double t;

		clock_gettime(CLOCK_MONOTONIC, &a);
		err = verityfs_core_build_tree(&p, file_read, &fd, NULL, NULL, ws, ws_size, root);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (err)
			return 1;
		t = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
		if (t < best)
			best = t;
	}
	verityfs_core_desc_encode(&p, root, 0, desc);
	verityfs_core_file_digest(p.hash, desc, dg);
	printf("bench %s/%u %s: %.0f MB/s (%.3f s, digest ", argv[2], bs,
	       argc > 4 ? argv[4] : "1way", st.st_size / best / 1e6, best);
	for (i = 0; i < (int)p.digest_size; i++)
		printf("%02x", dg[i]);
	printf(")\n");
	free(ws);
	close(fd);
	return 0;
}
