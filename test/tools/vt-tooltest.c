// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host test driver for the verityfs tool's pieces that need no kernel: the
 * pax filter (tools/pax.c), SHA-2 (tools/sha2.c) and the Merkle tree
 * rebuild (tools/desc.c). test/tools/run.sh drives it against GNU tar,
 * sha256sum/sha512sum and the stock `fsverity digest`.
 *
 *   vt-tooltest inject MAP  < IN.tar > OUT.tar
 *       MAP lines "PATH DESC SIG TREE" ("-" for none): the records export
 *       adds, with those files' bytes, on the member named PATH
 *   vt-tooltest collect DIR < IN.tar > OUT.tar
 *       what import does to the stream: the records taken out and written
 *       to DIR/N.descriptor, N.signature, N.tree, the member names to
 *       DIR/list ("N TYPE PATH"), the rest of the stream to OUT.tar
 *   vt-tooltest hash sha256|sha512 FILE      the hex digest of FILE
 *   vt-tooltest tree DESC DATA TREE_OUT      rebuild the tree, check the root
 *   vt-tooltest digest DESC                  "sha256:HEX" file digest
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pax.h"
#include "verityfs.h"

const char *vt_prog = "vt-tooltest";

void vt_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", vt_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void die(const char *what)
{
	fprintf(stderr, "vt-tooltest: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	uint8_t *b;
	int fd = open(path, O_RDONLY), r;

	if (fd < 0)
		die(path);
	r = vt_read_all(fd, &b, len, (size_t)1 << 30);
	if (r) {
		errno = -r;
		die(path);
	}
	close(fd);
	return b;
}

static void spill(const char *path, const void *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || vt_write_all(fd, b, len) || close(fd))
		die(path);
}

static const char *map_path;

static int inject(struct vt_pax_member *m, void *ctx)
{
	char line[4096], p[4096], f[3][4096];
	const char *keys[3] = { VT_PAX_DESCRIPTOR, VT_PAX_SIGNATURE, VT_PAX_TREE };
	FILE *map = fopen(map_path, "r");
	int i;

	if (!map)
		die(map_path);
	vt_pax_drop_prefix(m, VT_PAX_PREFIX);
	while (fgets(line, sizeof(line), map)) {
		if (sscanf(line, "%4095s %4095s %4095s %4095s", p, f[0], f[1], f[2]) != 4 ||
		    strcmp(p, m->path))
			continue;
		for (i = 0; i < 3; i++) {
			uint8_t *b;
			size_t len;

			if (!strcmp(f[i], "-"))
				continue;
			b = slurp(f[i], &len);
			if (vt_pax_add(m, keys[i], b, len))
				return -ENOMEM;
			free(b);
		}
	}
	fclose(map);
	return 0;
}

static const char *out_dir;
static unsigned int nmember;

static int collect(struct vt_pax_member *m, void *ctx)
{
	static const char *const names[3] = { "descriptor", "signature", "tree" };
	const char *keys[3] = { VT_PAX_DESCRIPTOR, VT_PAX_SIGNATURE, VT_PAX_TREE };
	char path[4096];
	struct vt_pax_rec r;
	FILE *list;
	int i;

	nmember++;
	for (i = 0; i < 3; i++) {
		if (!vt_pax_take(m, keys[i], &r))
			continue;
		snprintf(path, sizeof(path), "%s/%u.%s", out_dir, nmember, names[i]);
		spill(path, r.val, r.len);
		free(r.key);
		free(r.val);
	}
	vt_pax_drop_prefix(m, VT_PAX_PREFIX);
	snprintf(path, sizeof(path), "%s/list", out_dir);
	list = fopen(path, "a");
	if (!list)
		die(path);
	fprintf(list, "%u %c %s\n", nmember, m->type ? m->type : '0', m->path);
	fclose(list);
	return 0;
}

static void print_hex(const char *prefix, const uint8_t *d, unsigned int n)
{
	unsigned int i;

	printf("%s", prefix);
	for (i = 0; i < n; i++)
		printf("%02x", d[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	uint8_t out[VT_MAX_DIGEST], *b;
	struct vt_desc d;
	size_t len;
	int r, fd, tfd;

	if (argc == 3 && !strcmp(argv[1], "inject")) {
		map_path = argv[2];
		r = vt_pax_filter(0, 1, inject, NULL);
	} else if (argc == 3 && !strcmp(argv[1], "collect")) {
		out_dir = argv[2];
		r = vt_pax_filter(0, 1, collect, NULL);
	} else if (argc == 4 && !strcmp(argv[1], "hash")) {
		struct vt_hash h;

		b = slurp(argv[3], &len);
		if (vt_hash_init(&h, strcmp(argv[2], "sha512") ? VT_HASH_SHA256 : VT_HASH_SHA512))
			return 2;
		vt_hash_update(&h, b, len);
		vt_hash_final(&h, out);
		free(b);
		print_hex("", out, h.size);
		return 0;
	} else if (argc == 5 && !strcmp(argv[1], "tree")) {
		b = slurp(argv[2], &len);
		r = vt_desc_parse(b, len, &d);
		free(b);
		if (r)
			return 2;
		fd = open(argv[3], O_RDONLY);
		tfd = open(argv[4], O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || tfd < 0)
			die("open");
		r = vt_tree_build(fd, &d, tfd, out);
		close(fd);
		close(tfd);
		if (!r && memcmp(out, d.root_hash, d.digest_size)) {
			printf("root hash differs\n");
			return 1;
		}
	} else if (argc == 3 && !strcmp(argv[1], "digest")) {
		b = slurp(argv[2], &len);
		r = vt_desc_parse(b, len, &d);
		free(b);
		if (r || !d.digest_size)
			return 2;
		vt_desc_digest(&d, out);
		print_hex(d.alg == VT_HASH_SHA256 ? "sha256:" : "sha512:", out, d.digest_size);
		return 0;
	} else {
		fprintf(stderr, "usage: see the head of test/tools/vt-tooltest.c\n");
		return 2;
	}
	if (r) {
		fprintf(stderr, "vt-tooltest: %s\n", strerror(-r));
		return 1;
	}
	return 0;
}
