// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs scrub`, read every verity file under paths and
 * report the blocks that do not verify.
 *
 * Each verity file is read from start to end with its cached pages dropped
 * first (POSIX_FADV_DONTNEED), so that its data comes from the disk again
 * and is verified on the way in, by verityfs or by native fs-verity alike;
 * pages some process has mapped stay cached and are not read again. Where a
 * read fails with EIO, the file is read again page by page from there, and
 * every range of pages that fails is reported; the rest of the file is still
 * read. Pages read are dropped again at the end, so a scrub does not fill the
 * page cache.
 *
 * Output (stdout), one line per finding, the path last:
 *
 *   CORRUPT <first byte>-<last byte> <path>   bytes that read as EIO
 *   FAILED <path>: <reason>                   a verity file that cannot be
 *                                             opened or read (damaged metadata
 *                                             is EINVAL, a signer missing from
 *                                             the keyring ENOKEY, ...)
 *   ok <path>                                 (-v) a file that read clean
 *
 * then a summary line (with -q only when some path could not be examined).
 * Exit status: 0 everything read clean, 1 some verity file has corrupt
 * blocks or failed, 4 some path or directory could not be examined, 5 both,
 * 2 usage.
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

#define SCRUB_CORRUPT	1
#define SCRUB_WALK_ERR	4
#define CHUNK		(1 << 20)

struct scrub {
	bool quiet;
	bool verbose;
	long page;
	char *buf;
	unsigned long files;
	unsigned long corrupt_files;
	unsigned long failed_files;
	unsigned long long bytes;
};

static void report_range(const char *path, uint64_t start, uint64_t end)
{
	printf("CORRUPT %llu-%llu %s\n", (unsigned long long)start, (unsigned long long)end - 1,
	       path);
}

/*
 * Read [pos, size) of a file; ranges that fail with EIO are reported,
 * merged when adjacent. Returns 0 clean, 1 corrupt, -1 with errno for
 * another error.
 */
static int read_file(struct scrub *s, int fd, const char *path, uint64_t size)
{
	uint64_t pos = 0, bad_start = 0;
	bool in_bad = false, corrupt = false;

	while (pos < size) {
		size_t want = size - pos < CHUNK ? size - pos : CHUNK;
		ssize_t n;

		/* Inside a bad range, step by pages to find where it ends. */
		if (in_bad && want > (size_t)s->page)
			want = s->page - pos % s->page;
		n = pread(fd, s->buf, want, pos);
		if (n > 0) {
			if (in_bad) {
				report_range(path, bad_start, pos);
				in_bad = false;
			}
			pos += n;
			s->bytes += n;
			continue;
		}
		if (n == 0)
			break;		/* shorter than statx said: nothing more to verify */
		if (errno == EINTR)
			continue;
		if (errno != EIO && errno != EBADMSG)
			return -1;
		if (!in_bad) {
			bad_start = pos - pos % s->page;
			in_bad = true;
			corrupt = true;
		}
		pos = pos - pos % s->page + s->page;
	}
	if (in_bad)
		report_range(path, bad_start, pos < size ? pos : size);
	return corrupt;
}

static int scrub_one(const char *path, uint64_t size, void *ctx)
{
	struct scrub *s = ctx;
	int fd, r;

	s->files++;
	fd = vt_open_verity(path);
	if (fd < 0) {
		printf("FAILED %s: %s\n", path, strerror(errno));
		s->failed_files++;
		return SCRUB_CORRUPT;
	}
	/* Errors here only mean some pages stay cached: the read still verifies the rest. */
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	r = read_file(s, fd, path, size);
	if (r < 0)
		printf("FAILED %s: %s\n", path, strerror(errno));
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	if (r < 0) {
		s->failed_files++;
		return SCRUB_CORRUPT;
	}
	if (r) {
		s->corrupt_files++;
		return SCRUB_CORRUPT;
	}
	if (s->verbose)
		printf("ok %s\n", path);
	return 0;
}

/* PATHs from FILE, one per line; empty lines and lines starting with # are skipped. */
static int read_paths(const char *file, char ***paths, int *npaths)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f) {
		vt_err("%s: %s", file, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		char **p;

		while (len && (line[len - 1] == '\n' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = 0;
		if (!len || line[0] == '#')
			continue;
		p = realloc(*paths, (*npaths + 1) * sizeof(**paths));
		if (!p || !(p[*npaths] = strdup(line))) {
			vt_err("%s", strerror(ENOMEM));
			free(p ? p : *paths);
			*paths = NULL;
			fclose(f);
			free(line);
			return -1;
		}
		*paths = p;
		(*npaths)++;
	}
	free(line);
	fclose(f);
	return 0;
}

int vt_cmd_scrub(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "one-file-system", no_argument, NULL, 'x' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "paths-from", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scrub s = { 0 };
	struct vt_walk w = { .visit = scrub_one, .ctx = &s };
	const char *from = NULL;
	char **paths = NULL;
	int npaths = 0, c, ret, i;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "xqvf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'x':
			w.one_fs = true;
			break;
		case 'q':
			s.quiet = true;
			break;
		case 'v':
			s.verbose = true;
			break;
		case 'f':
			from = optarg;
			break;
		case 'h':
			printf("usage: verityfs scrub [-x] [-q] [-v] [--paths-from FILE] [PATH...]\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option or missing argument '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (from && read_paths(from, &paths, &npaths))
		return SCRUB_WALK_ERR;
	for (i = optind; i < argc; i++) {
		char **p = realloc(paths, (npaths + 1) * sizeof(*paths));

		if (!p || !(p[npaths] = strdup(argv[i]))) {
			vt_err("%s", strerror(ENOMEM));
			return SCRUB_WALK_ERR;
		}
		paths = p;
		npaths++;
	}
	if (!npaths && !from) {
		vt_usage_err("no PATH given");
		return VT_EXIT_USAGE;
	}
	s.page = sysconf(_SC_PAGESIZE);
	s.buf = malloc(CHUNK);
	if (!s.buf) {
		vt_err("%s", strerror(ENOMEM));
		return SCRUB_WALK_ERR;
	}
	ret = npaths ? vt_walk_paths(&w, paths, npaths) : 0;
	if (!s.quiet || (ret & VT_WALK_ERROR))
		printf("%s: %lu verity files, %llu bytes read: %lu with corrupt blocks, %lu failed%s\n",
		       vt_prog, s.files, s.bytes, s.corrupt_files, s.failed_files,
		       (ret & VT_WALK_ERROR) ? "; some paths could not be examined" : "");
	for (i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	free(s.buf);
	if (fflush(stdout) || ferror(stdout))
		ret |= VT_WALK_ERROR;
	return ((ret & SCRUB_CORRUPT) ? SCRUB_CORRUPT : 0) |
	       ((ret & VT_WALK_ERROR) ? SCRUB_WALK_ERR : 0);
}
