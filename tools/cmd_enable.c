// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs enable --descriptor=DESC [--tree=TREE]
 * [--signature=SIG] FILE`, a verity file from metadata made elsewhere.
 *
 * DESC is the 256-byte descriptor `fsverity digest --out-descriptor` writes,
 * TREE the tree `--out-merkle-tree` writes, SIG a signature `fsverity sign`
 * writes. With TREE, VERITYFS_IOC_ENABLE_FROM_TREE gets them as they are and
 * the kernel judges them (its errno is the one reported); without, the tree
 * is rebuilt from FILE's data and must have the descriptor's root hash.
 * Either way the file's digest afterwards must be the descriptor's.
 *
 * Exit status: 0, 1 (the file was not made verity), 2 usage.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "verityfs.h"

/* Reads a whole small file; errors reported. Return: 0 or -1. */
static int slurp(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		vt_err("%s: %s", path, strerror(errno));
		return -1;
	}
	r = vt_read_all(fd, buf, len, max);
	close(fd);
	if (r) {
		vt_err("%s: %s", path, strerror(-r));
		return -1;
	}
	return 0;
}

int vt_cmd_enable(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "descriptor", required_argument, NULL, 'd' },
		{ "tree", required_argument, NULL, 't' },
		{ "signature", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *desc_path = NULL, *tree_path = NULL, *sig_path = NULL, *file, *why;
	uint8_t *desc_buf = NULL, *sig = NULL;
	size_t desc_len = 0, sig_len = 0;
	struct vt_restore r = { .tree_fd = -1 };
	struct vt_desc d;
	int c, fd, ret = 1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			desc_path = optarg;
			break;
		case 't':
			tree_path = optarg;
			break;
		case 's':
			sig_path = optarg;
			break;
		case 'h':
			printf("usage: verityfs enable --descriptor=DESC [--tree=TREE] [--signature=SIG] FILE\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option or missing argument '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (!desc_path || optind != argc - 1) {
		vt_usage_err(desc_path ? "one FILE, please" : "--descriptor=DESC is needed");
		return VT_EXIT_USAGE;
	}
	file = argv[optind];

	/* One byte more than a descriptor has, to tell a longer file. */
	if (slurp(desc_path, VT_DESC_SIZE + 1, &desc_buf, &desc_len))
		goto out;
	if (vt_desc_parse(desc_buf, desc_len, &d)) {
		vt_err("%s: a descriptor has %d bytes, not %zu", desc_path, VT_DESC_SIZE, desc_len);
		goto out;
	}
	/* The kernel says EMSGSIZE to an oversized signature: let it. */
	if (sig_path && slurp(sig_path, 1 << 20, &sig, &sig_len))
		goto out;
	if (tree_path) {
		r.tree_fd = open(tree_path, O_RDONLY | O_CLOEXEC);
		if (r.tree_fd < 0) {
			vt_err("%s: %s", tree_path, strerror(errno));
			goto out;
		}
	}
	r.desc = &d;
	r.sig = sig;
	r.sig_size = sig_len;
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		vt_err("%s: %s", file, strerror(errno));
		goto out;
	}
	c = vt_restore_verity(fd, &r, &why);
	close(fd);
	if (c)
		vt_err("%s: %s: %s", file, why, strerror(-c));
	else
		ret = VT_EXIT_OK;
out:
	if (r.tree_fd >= 0)
		close(r.tree_fd);
	free(desc_buf);
	free(sig);
	return ret;
}
