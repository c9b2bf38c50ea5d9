// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: `verityfs import [-v] -f ARCHIVE|- -C DIR`, the other half
 * of export: extract a tar archive with GNU tar and make verity again every
 * file whose member carries a descriptor (docs/tar.md).
 *
 * The filter takes the SCHILY.xattr.user.verityfs.* records out of the
 * stream before tar sees it, so tar extracts plain files and sets only the
 * archive's other extended attributes. When tar is done, each such file is
 * opened below DIR (no symbolic link followed) and made verity with the
 * carried descriptor, signature and tree (vt_restore_verity(): without a
 * tree, one is rebuilt from the data and must match the descriptor's root
 * hash). The kernel judges the rest: signature, keyring, require_signatures.
 *
 * A file that cannot be made verity with the archive's digest is removed,
 * with every name the archive gave it as a hard link, and named on stderr:
 * the tree never holds a plain copy of a file that was verity in the
 * archive, nor one with another digest.
 *
 * GNU tar replaces existing files, verity ones too (it unlinks what is in
 * its way). A file still verity when its turn comes is left as it is: fine
 * when its digest is the archive's, reported otherwise.
 *
 * Exit status: 0; 1 tar failed or some file was not restored; 2 usage.
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <verityfs/fsverity_abi.h>

#include "pax.h"
#include "verityfs.h"

/* A file to make verity once tar is done. */
struct import_file {
	char *path;		/* normalized: relative, no "." or ".." component */
	struct vt_pax_rec desc, sig, tree;
	bool has_sig, has_tree;
	bool dead;		/* replaced by a later member of the same name */
	char **links;		/* its other names, from hard link members */
	size_t nlinks;
};

struct import_ctx {
	struct import_file *files;
	size_t nfiles, cap;
	size_t *table;		/* open addressing: index + 1 into files, 0 empty */
	size_t tsize;
	int failed;
	bool verbose;
};

static size_t hash_path(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* The slot of @path: holding its file, or empty. */
static size_t *find_slot(struct import_ctx *c, const char *path)
{
	size_t i = hash_path(path) & (c->tsize - 1);

	while (c->table[i] && strcmp(c->files[c->table[i] - 1].path, path))
		i = (i + 1) & (c->tsize - 1);
	return &c->table[i];
}

static struct import_file *lookup(struct import_ctx *c, const char *path)
{
	size_t *slot;

	if (!c->tsize)
		return NULL;
	slot = find_slot(c, path);
	return *slot && !c->files[*slot - 1].dead ? &c->files[*slot - 1] : NULL;
}

static int grow(struct import_ctx *c)
{
	size_t i, *old = c->table, osize = c->tsize;

	if (c->nfiles == c->cap) {
		struct import_file *f = realloc(c->files, (c->cap * 2 + 16) * sizeof(*f));

		if (!f)
			return -ENOMEM;
		c->files = f;
		c->cap = c->cap * 2 + 16;
	}
	if (c->nfiles * 2 < c->tsize)
		return 0;
	c->tsize = c->tsize ? c->tsize * 2 : 64;
	c->table = calloc(c->tsize, sizeof(*c->table));
	if (!c->table) {
		c->table = old;
		c->tsize = osize;
		return -ENOMEM;
	}
	for (i = 0; i < osize; i++)
		if (old[i])
			*find_slot(c, c->files[old[i] - 1].path) = old[i];
	free(old);
	return 0;
}

/*
 * A member's name as tar extracts it: leading "/" and "./" dropped, "."
 * components left out. NULL for a name with ".." (tar skips those) or none.
 */
static char *normalize(const char *name)
{
	char *out = malloc(strlen(name) + 1), *o = out;
	const char *p = name;

	if (!out)
		return NULL;
	while (*p) {
		const char *e;
		size_t n;

		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		n = (size_t)(e - p);
		if (n == 2 && !strncmp(p, "..", 2)) {
			free(out);
			return NULL;
		}
		if (n && !(n == 1 && *p == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, p, n);
			o += n;
		}
		p = e;
	}
	*o = 0;
	if (o == out) {
		free(out);
		return NULL;
	}
	return out;
}

static void free_rec(struct vt_pax_rec *r)
{
	free(r->key);
	free(r->val);
	memset(r, 0, sizeof(*r));
}

static int import_member(struct vt_pax_member *m, void *p)
{
	struct import_ctx *c = p;
	struct vt_pax_rec desc = { 0 }, sig = { 0 }, tree = { 0 };
	bool has_desc, has_sig, has_tree;
	struct import_file *f;
	char *path;
	int r;

	has_desc = vt_pax_take(m, VT_PAX_DESCRIPTOR, &desc);
	has_sig = vt_pax_take(m, VT_PAX_SIGNATURE, &sig);
	has_tree = vt_pax_take(m, VT_PAX_TREE, &tree);
	/* Nothing of ours reaches tar, whatever a later version adds. */
	vt_pax_drop_prefix(m, VT_PAX_PREFIX);

	path = normalize(m->path);
	if (!path) {
		if (has_desc) {
			vt_err("%s: not restored: tar does not extract such a name", m->path);
			c->failed = 1;
		}
		goto out;
	}
	/* A later member of the same name replaces the file. */
	f = lookup(c, path);
	if (f)
		f->dead = true;
	if (m->type == '1') {
		char *target = normalize(m->linkname);
		struct import_file *t = target ? lookup(c, target) : NULL;
		char **l;

		free(target);
		if (t) {
			l = realloc(t->links, (t->nlinks + 1) * sizeof(*l));
			if (!l) {
				r = -ENOMEM;
				goto fail;
			}
			t->links = l;
			l[t->nlinks++] = path;
			path = NULL;
		}
	}
	if (!has_desc) {
		if (has_sig || has_tree) {
			vt_err("%s: not restored: a signature or tree without a descriptor", m->path);
			c->failed = 1;
		}
		goto out;
	}
	if (m->type != '0' && m->type != '\0' && m->type != '7') {
		vt_err("%s: verity metadata on a member that is not a regular file: ignored",
		       m->path);
		c->failed = 1;
		goto out;
	}
	r = grow(c);
	if (r)
		goto fail;
	f = &c->files[c->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->desc = desc;
	f->sig = sig;
	f->tree = tree;
	f->has_sig = has_sig;
	f->has_tree = has_tree;
	*find_slot(c, path) = c->nfiles;
	return 0;
out:
	r = 0;
fail:
	free(path);
	free_rec(&desc);
	free_rec(&sig);
	free_rec(&tree);
	return r;
}

/* Unlinks @path below @dirfd without following a symbolic link on the way. */
static int remove_beneath(int dirfd, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent;
	int pfd, r;

	if (!slash)
		return unlinkat(dirfd, path, 0);
	parent = strndup(path, (size_t)(slash - path));
	if (!parent)
		return -1;
	pfd = vt_open_beneath(dirfd, parent, O_PATH | O_DIRECTORY);
	free(parent);
	if (pfd < 0)
		return -1;
	r = unlinkat(pfd, slash + 1, 0);
	close(pfd);
	return r;
}

/* Return: 0 not verity, 1 verity with @d's digest, -EEXIST with another. */
static int already_verity(int fd, const struct vt_desc *d)
{
	struct {
		struct verityfs_digest h;
		uint8_t digest[VT_MAX_DIGEST];
	} m;
	uint8_t want[VT_MAX_DIGEST];

	memset(&m, 0, sizeof(m));
	m.h.digest_size = VT_MAX_DIGEST;
	if (ioctl(fd, VERITYFS_IOC_MEASURE_VERITY, &m.h))
		return 0;
	if (!d->digest_size)
		return -EEXIST;
	vt_desc_digest(d, want);
	return m.h.digest_algorithm == d->alg && m.h.digest_size == d->digest_size &&
	       !memcmp(m.h.digest, want, d->digest_size) ? 1 : -EEXIST;
}

static int restore_file(int dirfd, struct import_file *f, const char **why)
{
	struct vt_restore r = { .tree_fd = -1, .native_fallback = true };
	struct vt_desc d;
	int fd, ret;

	*why = VT_PAX_DESCRIPTOR;
	if (vt_desc_parse(f->desc.val, f->desc.len, &d))
		return -EINVAL;
	r.desc = &d;
	if (f->has_sig) {
		r.sig = f->sig.val;
		r.sig_size = f->sig.len;
	}
	*why = "open";
	fd = vt_open_beneath(dirfd, f->path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return -errno;
	/* Still verity (tar did not replace it): judged, never removed. */
	ret = already_verity(fd, &d);
	if (ret) {
		*why = "already a verity file with another digest";
		close(fd);
		return ret > 0 ? 0 : ret;
	}
	if (f->has_tree) {
		*why = "tree";
		r.tree_fd = memfd_create("verityfs-tree", MFD_CLOEXEC);
		if (r.tree_fd < 0 || vt_write_all(r.tree_fd, f->tree.val, f->tree.len)) {
			ret = -errno;
			goto out;
		}
	}
	ret = vt_restore_verity(fd, &r, why);
out:
	if (r.tree_fd >= 0)
		close(r.tree_fd);
	close(fd);
	return ret;
}

static void restore_all(int dirfd, struct import_ctx *c)
{
	unsigned long done = 0;
	const char *why;
	size_t i, j;
	int r;

	for (i = 0; i < c->nfiles; i++) {
		struct import_file *f = &c->files[i];

		if (f->dead)
			continue;
		r = restore_file(dirfd, f, &why);
		if (!r) {
			done++;
			if (c->verbose)
				fprintf(stderr, "%s\n", f->path);
			continue;
		}
		c->failed = 1;
		vt_err("%s: not restored: %s: %s", f->path, why, strerror(-r));
		/* Nothing to remove, or not this import's file to remove. */
		if (r == -ENOENT || r == -EEXIST)
			continue;
		for (j = 0; j <= f->nlinks; j++) {
			const char *name = j ? f->links[j - 1] : f->path;

			if (remove_beneath(dirfd, name) && errno != ENOENT)
				vt_err("%s: cannot remove: %s", name, strerror(errno));
			else
				vt_err("%s: removed", name);
		}
	}
	if (c->verbose)
		fprintf(stderr, "%s: %lu verity files restored\n", vt_prog, done);
}

static void free_ctx(struct import_ctx *c)
{
	size_t i, j;

	for (i = 0; i < c->nfiles; i++) {
		struct import_file *f = &c->files[i];

		free(f->path);
		free_rec(&f->desc);
		free_rec(&f->sig);
		free_rec(&f->tree);
		for (j = 0; j < f->nlinks; j++)
			free(f->links[j]);
		free(f->links);
	}
	free(c->files);
	free(c->table);
}

int vt_cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "directory", required_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *targv[] = { "tar", "-x", "--xattrs", "--xattrs-exclude=user.verityfs.*",
			  "-f", "-", "-C", NULL, NULL };
	struct import_ctx ctx = { 0 };
	const char *archive = NULL, *dir = NULL;
	int c, in = -1, dirfd, out, r, tar_failed = 0;
	pid_t pid;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:C:vh", opts, NULL)) != -1) {
		switch (c) {
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
			printf("usage: verityfs import [-v] -f ARCHIVE|- -C DIR\n");
			return VT_EXIT_OK;
		default:
			vt_usage_err("unknown option or missing argument '%s'", argv[optind - 1]);
			return VT_EXIT_USAGE;
		}
	}
	if (!archive || !dir || optind != argc) {
		vt_usage_err(optind != argc ? "no PATH argument: the whole archive is extracted"
					    : "-f ARCHIVE and -C DIR are needed");
		return VT_EXIT_USAGE;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		vt_err("%s: %s", dir, strerror(errno));
		return 1;
	}
	in = strcmp(archive, "-") ? open(archive, O_RDONLY | O_CLOEXEC) : 0;
	if (in < 0) {
		vt_err("%s: %s", archive, strerror(errno));
		close(dirfd);
		return 1;
	}
	targv[7] = (char *)dir;
	signal(SIGPIPE, SIG_IGN);
	out = vt_tar_start(targv, false, &pid);
	if (out < 0) {
		r = -EPIPE;
		goto out;
	}
	r = vt_pax_filter(in, out, import_member, &ctx);
	close(out);
	/* tar may stop reading after the end-of-archive blocks. */
	if (r == -EPIPE)
		r = 0;
	if (r)
		vt_err("%s: %s", archive, r == -EINVAL ? "not a tar archive, or a damaged one" :
			r == -EIO ? "the archive ends too early (cut short?)" : strerror(-r));
	tar_failed = vt_tar_wait(pid);
	/*
	 * Also after a damaged stream or a failed tar: the files taken so far
	 * are whole, and none may stay plain.
	 */
	restore_all(dirfd, &ctx);
out:
	if (in > 0)
		close(in);
	close(dirfd);
	free_ctx(&ctx);
	return r || tar_failed || ctx.failed ? 1 : VT_EXIT_OK;
}
