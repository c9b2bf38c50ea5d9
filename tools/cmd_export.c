// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs export [--tree] [-v] -f ARCHIVE|- -C DIR [PATH...]`,
 * a tar archive of verity files that carries their verity metadata.
 *
 * GNU tar writes a pax archive of PATHs (default ".") relative to DIR; the
 * filter adds to the extended header of every verity regular file its
 * descriptor, its signature if it has one and, with --tree, its Merkle tree,
 * as SCHILY.xattr.user.verityfs.{descriptor,signature,tree} records
 * (docs/tar.md). They are read with FS_IOC_READ_VERITY_METADATA from the
 * file as tar names it below DIR, so DIR is a verityfs mount (or a native
 * fs-verity filesystem on Linux 5.12 or later).
 *
 * Exit status: 0; 1 tar failed, or a verity file's metadata could not be
 * read (each named; no archive file is left); 2 usage.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <verityfs/fsverity_abi.h>

#include "pax.h"
#include "verityfs.h"

struct export_ctx {
	int dirfd;
	bool tree;
	bool verbose;
	int failed;
	unsigned long nverity;
};

/* Reads one metadata item whole. Return: bytes, or -errno (-ENODATA: none). */
static ssize_t read_item(int fd, unsigned int type, uint8_t **out)
{
	size_t cap = 65536, len = 0;
	uint8_t *buf = NULL;

	for (;;) {
		struct verityfs_read_metadata_arg arg;
		uint8_t *nb = realloc(buf, cap);
		int n;

		if (!nb) {
			free(buf);
			return -ENOMEM;
		}
		buf = nb;
		memset(&arg, 0, sizeof(arg));
		arg.metadata_type = type;
		arg.offset = len;
		arg.length = cap - len;
		arg.buf_ptr = (uintptr_t)(buf + len);
		n = ioctl(fd, VERITYFS_IOC_READ_VERITY_METADATA, &arg);
		if (n < 0) {
			n = -errno;
			free(buf);
			return n;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap)
			cap *= 2;
	}
	*out = buf;
	return (ssize_t)len;
}

static int add_item(struct vt_pax_member *m, int fd, unsigned int type, const char *key,
		    bool optional, const char **what)
{
	uint8_t *buf = NULL;
	ssize_t n;
	int r;

	*what = key;
	n = read_item(fd, type, &buf);
	if (n == -ENODATA && optional)
		return 0;
	if (n < 0)
		return (int)n;
	if (type == VERITYFS_METADATA_TYPE_DESCRIPTOR && n != VT_DESC_SIZE) {
		free(buf);
		return -EBADMSG;
	}
	r = n || !optional ? vt_pax_add(m, key, buf, (size_t)n) : 0;
	free(buf);
	return r;
}

static bool is_regular_type(char t)
{
	return t == '0' || t == '\0' || t == '7';
}

static int export_member(struct vt_pax_member *m, void *p)
{
	struct export_ctx *ctx = p;
	const char *what = "open";
	struct statx stx;
	int fd, r;

	/* Records of ours come only from the file's verity metadata. */
	vt_pax_drop_prefix(m, VT_PAX_PREFIX);
	if (!is_regular_type(m->type))
		return 0;
	fd = vt_open_beneath(ctx->dirfd, m->path, O_RDONLY | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		goto fail;
	}
	what = "statx";
	if (statx(fd, "", AT_EMPTY_PATH, STATX_TYPE, &stx)) {
		r = -errno;
		goto fail;
	}
	if (!(stx.stx_attributes & VERITYFS_STATX_ATTR_VERITY)) {
		close(fd);
		return 0;
	}
	r = add_item(m, fd, VERITYFS_METADATA_TYPE_DESCRIPTOR, VT_PAX_DESCRIPTOR, false, &what);
	if (!r)
		r = add_item(m, fd, VERITYFS_METADATA_TYPE_SIGNATURE, VT_PAX_SIGNATURE, true, &what);
	if (!r && ctx->tree)
		r = add_item(m, fd, VERITYFS_METADATA_TYPE_MERKLE_TREE, VT_PAX_TREE, true, &what);
	if (r)
		goto fail;
	close(fd);
	ctx->nverity++;
	if (ctx->verbose)
		fprintf(stderr, "%s\n", m->path);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	vt_err("%s: %s: %s", m->path, what, strerror(-r));
	ctx->failed = 1;
	/* The archive goes on; it is removed at the end. */
	return r == -ENOMEM ? r : 0;
}

int vt_cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tree", no_argument, NULL, 't' },
		{ "file", required_argument, NULL, 'f' },
		{ "directory", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_ctx ctx = { .dirfd = -1 };
	const char *archive = NULL, *dir = NULL;
	char *dot[] = { ".", NULL }, **paths, **targv;
	int c, i, npaths, out = -1, in, r, ret = 1;
	pid_t pid;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+tf:C:vh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			ctx.tree = true;
			break;
		case 'f':
			archive = optarg;
			break;
		case 'C':
			dir = optarg;
			break;
		case 'v':
			ctx.verbose = true;
			break;
		case 'h':
			printf("usage: verityfs export [--tree] [-v] -f ARCHIVE|- -C DIR [PATH...]\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option or missing argument '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (!archive || !dir) {
		vt_usage_err("-f ARCHIVE and -C DIR are needed");
		return VT_EXIT_USAGE;
	}
	paths = optind < argc ? argv + optind : dot;
	npaths = optind < argc ? argc - optind : 1;
	for (i = 0; i < npaths; i++) {
		if (paths[i][0] == '/') {
			vt_usage_err("%s: a PATH is relative to DIR", paths[i]);
			return VT_EXIT_USAGE;
		}
	}
	if (!strcmp(archive, "-") && isatty(1)) {
		vt_usage_err("the archive would go to a terminal");
		return VT_EXIT_USAGE;
	}

	ctx.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ctx.dirfd < 0) {
		vt_err("%s: %s", dir, strerror(errno));
		return 1;
	}
	out = strcmp(archive, "-") ? open(archive, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : 1;
	if (out < 0) {
		vt_err("%s: %s", archive, strerror(errno));
		goto out;
	}

	/* tar --format=pax --xattrs --xattrs-exclude=... -c -f - -C DIR -- PATH... */
	targv = calloc((size_t)npaths + 12, sizeof(*targv));
	if (!targv)
		goto out;
	i = 0;
	targv[i++] = "tar";
	targv[i++] = "--format=pax";
	targv[i++] = "--xattrs";
	targv[i++] = "--xattrs-exclude=user.verityfs.*";
	targv[i++] = "-c";
	targv[i++] = "-f";
	targv[i++] = "-";
	targv[i++] = "-C";
	targv[i++] = (char *)dir;
	targv[i++] = "--";
	memcpy(targv + i, paths, (size_t)npaths * sizeof(*targv));
	signal(SIGPIPE, SIG_IGN);
	in = vt_tar_start(targv, true, &pid);
	free(targv);
	if (in < 0)
		goto out;
	r = vt_pax_filter(in, out, export_member, &ctx);
	close(in);
	if (r)
		vt_err("%s: %s", archive, strerror(-r));
	if (vt_tar_wait(pid) == 0 && !r && !ctx.failed)
		ret = VT_EXIT_OK;
	if (out != 1 && close(out) && ret == VT_EXIT_OK) {
		vt_err("%s: %s", archive, strerror(errno));
		ret = 1;
	}
	if (ret != VT_EXIT_OK && out != 1) {
		unlink(archive);
		vt_err("%s removed", archive);
	}
	out = -1;
	if (ctx.verbose && ret == VT_EXIT_OK)
		fprintf(stderr, "%s: %lu verity files\n", vt_prog, ctx.nverity);
out:
	if (out > 1)
		close(out);
	close(ctx.dirfd);
	return ret;
}
