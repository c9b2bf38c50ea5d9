// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs gc [--delete] [--min-age=SECONDS] LOWER_ROOT`,
 * the objects of the verityfs store that no verity file names any more.
 *
 * Run as root on the lower filesystem itself, not through a verityfs mount
 * (which hides both the records and the store). LOWER_ROOT is the root of
 * a mount of the lower filesystem. The whole filesystem below it is walked,
 * without crossing into other mounts: every regular file's trusted.verityfs
 * record (version 1 or 2) names an object by its id (a little-endian u64 at
 * byte 8). The objects are the files named by 16 hex digits in
 * LOWER_ROOT/.verityfs and, for 0.1.0's stores, in the .verityfs of any
 * directory below. An object no record names is an orphan: left by an
 * unlink on the lower, or by an enable that has not set its record yet;
 * objects changed less than --min-age seconds ago (default 3600) are left
 * alone for that reason.
 *
 * Without --delete, each orphan is printed as "orphan BYTES PATH". With
 * --delete it is removed and printed as "deleted BYTES PATH". Nothing is
 * deleted when any file or directory could not be read: its record could
 * name an object.
 *
 * Exit status: 0 no orphan, or all deleted; 1 orphans listed (dry run) or
 * some could not be deleted; 4 some file or directory could not be read
 * (then nothing was deleted); 2 usage.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <verityfs/format.h>

#include "verityfs.h"

#define GC_FOUND	1
#define GC_READ_ERROR	4
/* statfs f_type of a verityfs mount */
#define GC_VERITYFS_MAGIC 0x76667953

static struct {
	uint64_t *ids;		/* object ids named by records */
	size_t nids, cap;
	char **stores;		/* .verityfs directories found */
	size_t nstores;
	int err;
} gc;

static int add_id(uint64_t id)
{
	if (gc.nids == gc.cap) {
		uint64_t *n = realloc(gc.ids, (gc.cap * 2 + 1024) * sizeof(*n));

		if (!n)
			return -1;
		gc.ids = n;
		gc.cap = gc.cap * 2 + 1024;
	}
	gc.ids[gc.nids++] = id;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int read_record(const char *path)
{
	uint8_t rec[128];
	ssize_t n = lgetxattr(path, "trusted.verityfs", rec, sizeof(rec));
	uint64_t id = 0;
	int i;

	if (n < 0) {
		if (errno == ENODATA || errno == ENOTSUP)
			return 0;
		if (errno == ENOENT)	/* gone since the walk saw it */
			return 0;
		fprintf(stderr, "%s: %s: trusted.verityfs: %s\n", vt_prog, path, strerror(errno));
		gc.err = 1;
		return 0;
	}
	/*
	 * Any version with our magic keeps its object id at byte 8 (format.h),
	 * so a newer record is honoured too; without the magic, it names nothing.
	 */
	if (n < 16 || memcmp(rec, VERITYFS_RECORD_MAGIC, 4)) {
		fprintf(stderr, "%s: %s: trusted.verityfs is not a verityfs record\n", vt_prog, path);
		return 0;
	}
	for (i = 15; i >= 8; i--)
		id = id << 8 | rec[i];
	if (add_id(id)) {
		gc.err = 1;
		return -1;
	}
	return 0;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	switch (type) {
	case FTW_D:
		if (!strcmp(path + ftw->base, ".verityfs")) {
			char **n = realloc(gc.stores, (gc.nstores + 1) * sizeof(*n));

			if (!n || !(n[gc.nstores] = strdup(path))) {
				gc.err = 1;
				return FTW_STOP;
			}
			gc.stores = n;
			gc.nstores++;
			return FTW_SKIP_SUBTREE;
		}
		return FTW_CONTINUE;
	case FTW_F:
		if (S_ISREG(st->st_mode) && read_record(path))
			return FTW_STOP;
		return FTW_CONTINUE;
	case FTW_DNR:
	case FTW_NS:
		fprintf(stderr, "%s: %s: cannot read\n", vt_prog, path);
		gc.err = 1;
		return FTW_CONTINUE;
	default:
		return FTW_CONTINUE;
	}
}

static bool is_object_name(const char *s)
{
	int i;

	for (i = 0; i < 16; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[16] == 0;
}

/* The orphans of one store. Returns GC_FOUND when one is left. */
static int sweep_store(const char *store, bool del, long min_age, time_t now)
{
	struct dirent *e;
	int ret = 0, dfd;
	DIR *d;

	dfd = open(store, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = dfd < 0 ? NULL : fdopendir(dfd);
	if (!d) {
		fprintf(stderr, "%s: %s: %s\n", vt_prog, store, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return GC_READ_ERROR;
	}
	while ((e = readdir(d))) {
		uint64_t id;
		struct stat st;

		if (!is_object_name(e->d_name))
			continue;
		id = strtoull(e->d_name, NULL, 16);
		if (bsearch(&id, gc.ids, gc.nids, sizeof(id), cmp_id))
			continue;
		if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		/* An enable in progress writes its object before its record. */
		if (now - st.st_mtime < min_age || now - st.st_ctime < min_age)
			continue;
		if (!del) {
			printf("orphan %lld %s/%s\n", (long long)st.st_size, store, e->d_name);
			ret = GC_FOUND;
		} else if (unlinkat(dfd, e->d_name, 0)) {
			fprintf(stderr, "%s: %s/%s: %s\n", vt_prog, store, e->d_name, strerror(errno));
			ret = GC_FOUND;
		} else {
			printf("deleted %lld %s/%s\n", (long long)st.st_size, store, e->d_name);
		}
	}
	closedir(d);
	return ret;
}

int vt_cmd_gc(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delete", no_argument, NULL, 'd' },
		{ "min-age", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool del = false;
	long min_age = 3600;
	const char *root;
	struct statx stx;
	struct statfs sfs;
	char *end;
	int c, ret = 0;
	size_t i;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			del = true;
			break;
		case 'a':
			errno = 0;
			min_age = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || min_age < 0) {
				vt_usage_err("--min-age takes seconds, not '%s'", optarg);
				return VT_EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: verityfs gc [--delete] [--min-age=SECONDS] LOWER_ROOT\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option or missing argument '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		vt_usage_err("one LOWER_ROOT, please");
		return VT_EXIT_USAGE;
	}
	root = argv[optind];

	/* Without CAP_SYS_ADMIN every trusted xattr reads as absent. */
	if (geteuid() != 0) {
		vt_err("must run as root: records are trusted.* extended attributes");
		return VT_EXIT_USAGE;
	}
	if (statfs(root, &sfs) || statx(AT_FDCWD, root, 0, STATX_TYPE, &stx)) {
		vt_err("%s: %s", root, strerror(errno));
		return GC_READ_ERROR;
	}
	if (sfs.f_type == GC_VERITYFS_MAGIC) {
		vt_err("%s: a verityfs mount: give the lower filesystem's own mount", root);
		return VT_EXIT_USAGE;
	}
	if (!S_ISDIR(stx.stx_mode) || !(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) ||
	    !(stx.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
		vt_err("%s: not the root of a mount: records elsewhere would be missed", root);
		return VT_EXIT_USAGE;
	}

	if (nftw(root, visit, 64, FTW_PHYS | FTW_MOUNT | FTW_ACTIONRETVAL) ||
	    gc.err) {
		vt_err("%s: not every record could be read: nothing %s", root,
		       del ? "deleted" : "is certain");
		if (!del)
			ret = GC_READ_ERROR;
		else
			return GC_READ_ERROR;
	}
	qsort(gc.ids, gc.nids, sizeof(*gc.ids), cmp_id);
	for (i = 0; i < gc.nstores; i++)
		ret |= sweep_store(gc.stores[i], del, min_age, time(NULL));
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("standard output: %s", strerror(errno));
		ret |= GC_FOUND;
	}
	return ret;
}
