// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs list [-x] PATH...`, the verity files under paths.
 *
 * One line per verity file, fields separated by one space, the path last:
 *
 *   sha256:<hex digest> <block size> <signed|unsigned> <path>
 *
 * The digest is the one `fsverity measure` prints, its prefix the hash
 * algorithm. Where the kernel cannot read the descriptor back (native
 * fs-verity before 5.12), the block size and the signature state are "-".
 * A verity file that cannot be opened or measured is reported on stderr.
 *
 * Exit status: 0, 1 (some file or directory could not be examined), 2 usage.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "verityfs.h"

#define LIST_FAILED	1

static int list_one(const char *path, uint64_t size, void *ctx)
{
	char hex[16 + 2 * VT_MAX_DIGEST + 1];
	char bs[16];
	struct vt_verity v;
	int fd;

	(void)size;
	(void)ctx;
	fd = vt_open_verity(path);
	if (fd < 0) {
		vt_err("%s: %s", path, strerror(errno));
		return LIST_FAILED;
	}
	if (vt_verity_read(fd, &v)) {
		vt_err("%s: %s", path, strerror(errno));
		close(fd);
		return LIST_FAILED;
	}
	close(fd);
	vt_digest_hex(&v, hex);
	if (v.block_size)
		snprintf(bs, sizeof(bs), "%u", v.block_size);
	else
		strcpy(bs, "-");
	printf("%s %s %s %s\n", hex, bs,
	       v.signed_state < 0 ? "-" : v.signed_state ? "signed" : "unsigned", path);
	return 0;
}

int vt_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "one-file-system", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vt_walk w = { .visit = list_one };
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "xh", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			w.one_fs = true;
			break;
		case 'h':
			printf("usage: verityfs list [-x|--one-file-system] PATH...\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		vt_usage_err("no PATH given");
		return VT_EXIT_USAGE;
	}
	ret = vt_walk_paths(&w, argv + optind, argc - optind);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("standard output: %s", strerror(errno));
		return 1;
	}
	return ret ? 1 : VT_EXIT_OK;
}
