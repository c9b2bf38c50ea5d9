/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs tool: a filter over a tar stream that lets a caller see and
 * change each member's pax extended header records (pax.c).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_TOOLS_PAX_H
#define _VX_TOOLS_PAX_H

#include <stddef.h>
#include <stdint.h>

/* The records verityfs carries for a verity file (docs/tar.md). */
#define VT_PAX_PREFIX		"SCHILY.xattr.user.verityfs."
#define VT_PAX_DESCRIPTOR	VT_PAX_PREFIX "descriptor"
#define VT_PAX_SIGNATURE	VT_PAX_PREFIX "signature"
#define VT_PAX_TREE		VT_PAX_PREFIX "tree"

/**
 * struct vt_pax_rec - one "LEN KEY=VALUE\n" record
 * @key: NUL-terminated
 * @val: @len bytes, any bytes (also NUL); a NUL follows them
 * @len: bytes of @val
 */
struct vt_pax_rec {
	char *key;
	uint8_t *val;
	size_t len;
};

/**
 * struct vt_pax_member - a member of the archive as the filter sees it
 * @path: its name (pax "path", else a GNU long name, else ustar prefix/name)
 * @linkname: its link target (pax "linkpath", GNU long link, ustar linkname)
 * @type: the ustar typeflag ('0' for a regular file, '1' a hard link, ...)
 * @size: bytes of data that follow its header
 * @recs: the records of its pax extended header ('x'); the callback may
 *	change them with vt_pax_add() and vt_pax_take()
 * @nrecs: how many
 */
struct vt_pax_member {
	char *path;
	char *linkname;
	char type;
	uint64_t size;
	struct vt_pax_rec *recs;
	size_t nrecs;
};

/*
 * Called for every member before its header is written out. Returns 0, or a
 * negative errno that stops the filter.
 */
typedef int (*vt_pax_member_fn)(struct vt_pax_member *m, void *ctx);

int vt_pax_filter(int in, int out, vt_pax_member_fn fn, void *ctx);
int vt_pax_add(struct vt_pax_member *m, const char *key, const void *val, size_t len);
int vt_pax_take(struct vt_pax_member *m, const char *key, struct vt_pax_rec *rec);
void vt_pax_drop_prefix(struct vt_pax_member *m, const char *prefix);

#endif /* _VX_TOOLS_PAX_H */
