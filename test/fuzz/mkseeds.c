// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs fuzz seeds: turn the known-answer vectors into starting inputs,
 * descriptors for fuzz_desc and geometry headers for fuzz_verify.
 * usage: mkseeds VECTOR_DIR DESC_CORPUS VERIFY_CORPUS
 * Copyright (C) 2026 The verityfs authors
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <verityfs/core.h>
#include "../lib/host_hash.h"

static void put(const char *dir, const char *kind, int n, const void *buf, size_t len)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s-%04d", dir, kind, n);
	fp = fopen(path, "wb");
	if (!fp || fwrite(buf, 1, len, fp) != len)
		exit(1);
	fclose(fp);
}

int main(int argc, char **argv)
{
	char path[512], line[512], alg[16], hex[160];
	unsigned long long size, seed;
	unsigned int bs, salt_size;
	int n = 0;
	FILE *fp;

	if (argc != 4)
		return 2;
	snprintf(path, sizeof(path), "%s/libfsverity.txt", argv[1]);
	fp = fopen(path, "r");
	if (!fp)
		return 1;
	while (fgets(line, sizeof(line), fp)) {
		struct verityfs_core_params p;
		u8 desc[256 + 64], root[64] = { 0 }, hdr[24];
		u32 a, log = 0;
		int i;

		if (line[0] == '#' || sscanf(line, "%15s %u %llu %u %llu %159s", alg, &bs,
					     &size, &salt_size, &seed, hex) != 6)
			continue;
		a = strcmp(alg, "sha256") ? 2 : 1;
		while ((1U << log) < bs)
			log++;
		/* The stored digest stands in for a root hash: any bytes do. */
		for (i = 0; i < 64 && hex[2 * i]; i++)
			sscanf(hex + 2 * i, "%2hhx", &root[i]);
		if (verityfs_core_init_params(&p, verityfs_core_host_hash(a, false), a, log,
					      (const u8 *)"0123456789abcdef0123456789abcdef",
					      salt_size, size))
			continue;
		verityfs_core_desc_encode(&p, root, n % 3 ? 0 : 64, desc);
		memset(desc + 256, 0x30, 64);
		put(argv[2], "desc", n, desc, n % 3 ? 256 : 320);

		memset(hdr, 0, sizeof(hdr));
		hdr[0] = a == 2;
		hdr[1] = (u8)(log >= 10 ? (log - 10) % 3 : 0);
		hdr[2] = (u8)salt_size;
		hdr[3] = (u8)((size >> 8) & 0xff);
		hdr[4] = (u8)size;
		hdr[11] = (u8)(n & 3);
		hdr[12] = (u8)n; hdr[13] = 0x55; hdr[14] = (u8)(n * 7 + 1);
		put(argv[3], "verify", n, hdr, n & 1 ? 15 : 12);
		n++;
	}
	fclose(fp);
	printf("# fuzz seeds: %d from %s\n", n, path);
	return 0;
}
