// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: walking the PATH arguments for verity files.
 *
 * statx() says whether a file is a verity file (STATX_ATTR_VERITY, set by
 * native fs-verity and by verityfs alike), so the walk opens nothing but
 * directories: special files, FIFOs and the plain files of /proc or /sys
 * are never touched.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <verityfs/fsverity_abi.h>

#include "verityfs.h"

static int statx_path(const char *path, int flags, struct statx *stx)
{
	return statx(AT_FDCWD, path, flags | AT_STATX_SYNC_AS_STAT,
		     STATX_TYPE | STATX_MODE | STATX_SIZE, stx);
}

static bool is_verity(const struct statx *stx)
{
	return (stx->stx_attributes_mask & VERITYFS_STATX_ATTR_VERITY) &&
	       (stx->stx_attributes & VERITYFS_STATX_ATTR_VERITY);
}

static int byte_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int skip_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static int walk_one(const struct vt_walk *w, const char *path, const struct statx *stx,
		    dev_t dev);

static int walk_dir(const struct vt_walk *w, const char *path, dev_t dev)
{
	struct dirent **names;
	int n, i, ret = 0;

	n = scandir(path, &names, skip_dots, byte_order);
	if (n < 0) {
		vt_err("%s: %s", path, strerror(errno));
		return VT_WALK_ERROR;
	}
	for (i = 0; i < n; i++) {
		char child[PATH_MAX];
		struct statx stx;

		if (snprintf(child, sizeof(child), "%s%s%s", path,
			     path[strlen(path) - 1] == '/' ? "" : "/",
			     names[i]->d_name) >= (int)sizeof(child)) {
			vt_err("%s/%s: %s", path, names[i]->d_name, strerror(ENAMETOOLONG));
			ret |= VT_WALK_ERROR;
		} else if (statx_path(child, AT_SYMLINK_NOFOLLOW, &stx)) {
			/* Gone since readdir(): not an error of the walk. */
			if (errno != ENOENT) {
				vt_err("%s: %s", child, strerror(errno));
				ret |= VT_WALK_ERROR;
			}
		} else {
			ret |= walk_one(w, child, &stx, dev);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

static int walk_one(const struct vt_walk *w, const char *path, const struct statx *stx,
		    dev_t dev)
{
	if (w->one_fs && makedev(stx->stx_dev_major, stx->stx_dev_minor) != dev)
		return 0;
	if (S_ISDIR(stx->stx_mode))
		return walk_dir(w, path, dev);
	if (S_ISREG(stx->stx_mode) && is_verity(stx))
		return w->visit(path, stx->stx_size, w->ctx);
	return 0;
}

/**
 * vt_walk_paths() - visit every verity file under some paths
 * @w: the walk: options and the visit function
 * @paths: files or directories; symbolic links among them are followed
 * @npaths: how many
 *
 * Errors are reported on stderr as they happen and the walk goes on.
 *
 * Return: the ORed results of @w->visit, plus VT_WALK_ERROR when a path or
 * a directory could not be examined.
 */
int vt_walk_paths(const struct vt_walk *w, char **paths, int npaths)
{
	int i, ret = 0;

	for (i = 0; i < npaths; i++) {
		struct statx stx;

		if (statx_path(paths[i], 0, &stx)) {
			vt_err("%s: %s", paths[i], strerror(errno));
			ret |= VT_WALK_ERROR;
			continue;
		}
		ret |= walk_one(w, paths[i], &stx, makedev(stx.stx_dev_major, stx.stx_dev_minor));
	}
	return ret;
}
