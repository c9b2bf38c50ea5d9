// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: making a file verity from metadata made elsewhere, as
 * `verityfs enable` and `verityfs import` do.
 *
 * The descriptor is upstream's (256 bytes, as `fsverity digest
 * --out-descriptor` writes it), the tree upstream's serialization (top level
 * first, as `--out-merkle-tree` writes it). Where no tree comes with the
 * descriptor, it is rebuilt here from the file's data and its root hash
 * compared with the descriptor's before anything is enabled: a file whose
 * data does not match never becomes a verity file. Whatever way the file
 * was enabled, its digest is measured afterwards and must be the SHA of the
 * descriptor.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/openat2.h>

#include <verityfs/fsverity_abi.h>
#include <verityfs/ioctl.h>

#include "verityfs.h"

/* struct fsverity_descriptor: byte offsets of its fields */
#define D_VERSION	0
#define D_HASH_ALG	1
#define D_LOG_BLOCK	2
#define D_SALT_SIZE	3
#define D_SIG_SIZE	4	/* __le32 */
#define D_DATA_SIZE	8	/* __le64 */
#define D_ROOT_HASH	16	/* 64 bytes */
#define D_SALT		80	/* 32 bytes */
#define D_RESERVED	112	/* 144 bytes, zero */

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/**
 * vt_desc_parse() - take a descriptor's fields apart
 * @raw: the bytes
 * @len: how many; must be VT_DESC_SIZE
 * @d: filled in; @d->raw gets the bytes as they are
 *
 * Nothing but the size is checked here: the kernel judges a descriptor it is
 * given, and vt_tree_build() what it needs to rebuild a tree. An algorithm
 * the tool does not know leaves @d->digest_size 0.
 *
 * Return: 0 or -EINVAL (size).
 */
int vt_desc_parse(const void *raw, size_t len, struct vt_desc *d)
{
	const uint8_t *p = raw;

	memset(d, 0, sizeof(*d));
	if (len != VT_DESC_SIZE)
		return -EINVAL;
	memcpy(d->raw, p, VT_DESC_SIZE);
	d->alg = p[D_HASH_ALG];
	if (d->alg == VT_HASH_SHA256)
		d->digest_size = 32;
	else if (d->alg == VT_HASH_SHA512)
		d->digest_size = 64;
	d->block_size = p[D_LOG_BLOCK] < 32 ? 1U << p[D_LOG_BLOCK] : 0;
	d->salt_size = p[D_SALT_SIZE];
	d->data_size = get_le64(p + D_DATA_SIZE);
	d->root_hash = d->raw + D_ROOT_HASH;
	d->salt = d->raw + D_SALT;
	return 0;
}

/* The fs-verity file digest: the hash of the descriptor, sig_size zero. */
void vt_desc_digest(const struct vt_desc *d, uint8_t *out)
{
	uint8_t raw[VT_DESC_SIZE];
	struct vt_hash h;

	memcpy(raw, d->raw, VT_DESC_SIZE);
	memset(raw + D_SIG_SIZE, 0, 4);
	vt_hash_init(&h, d->alg);
	vt_hash_update(&h, raw, VT_DESC_SIZE);
	vt_hash_final(&h, out);
}

/* Every block is hashed after the salt, zero-padded to the hash's input block. */
static void hash_block(const struct vt_hash *salted, const uint8_t *block, size_t len,
		       uint8_t *out)
{
	struct vt_hash h = *salted;

	vt_hash_update(&h, block, len);
	vt_hash_final(&h, out);
}

/**
 * vt_tree_build() - the Merkle tree of a file's data, as fs-verity makes it
 * @data_fd: the data, read from offset 0 (d->data_size bytes)
 * @d: the parameters
 * @tree_fd: where the tree is written from offset 0, top level first; none
 *	is written for files of at most one block
 * @root: the root hash (d->digest_size bytes)
 *
 * Return: 0; -EINVAL for a descriptor that is not version 1 or whose block
 * or salt size fs-verity does not allow, or data shorter than d->data_size;
 * -ENOPKG for an unknown algorithm; -ENOMEM, or the negative errno of a
 * read or write.
 */
int vt_tree_build(int data_fd, const struct vt_desc *d, int tree_fd, uint8_t *root)
{
	uint64_t nblocks[17], start[17], total = 0, i, n;
	unsigned int bs = d->block_size, ds = d->digest_size, hpb = bs / ds;
	unsigned int levels = 0, l;
	struct vt_hash salted;
	uint8_t *tree = NULL, *block;
	size_t padded;
	int ret = 0;

	if (!d->digest_size)
		return -ENOPKG;
	if (d->raw[D_VERSION] != 1 || bs < 1024 || bs > 65536 || d->salt_size > VT_MAX_SALT)
		return -EINVAL;
	vt_hash_init(&salted, d->alg);
	if (d->salt_size) {
		uint8_t pad[128] = { 0 };

		padded = (d->salt_size + salted.block - 1) / salted.block * salted.block;
		memcpy(pad, d->salt, d->salt_size);
		vt_hash_update(&salted, pad, padded);
	}
	memset(root, 0, ds);
	if (d->data_size == 0)
		return 0;
	block = malloc(bs);
	if (!block)
		return -ENOMEM;

	/* Level l has nblocks[l] blocks; the top one has one. */
	n = (d->data_size + bs - 1) / bs;
	while (n > 1) {
		n = (n + hpb - 1) / hpb;
		nblocks[levels++] = n;
	}
	for (l = levels; l-- > 0; ) {
		start[l] = total;
		total += nblocks[l] * bs;
	}
	if (levels) {
		tree = calloc(1, total);
		if (!tree) {
			ret = -ENOMEM;
			goto out;
		}
	}

	/* Level 0 from the data; the last data block is zero-padded. */
	for (i = 0; i * bs < d->data_size; i++) {
		uint64_t want = d->data_size - i * bs < bs ? d->data_size - i * bs : bs;
		ssize_t got = pread(data_fd, block, want, (off_t)(i * bs));

		if (got < 0) {
			ret = -errno;
			goto out;
		}
		if ((uint64_t)got != want) {
			ret = -EINVAL;
			goto out;
		}
		memset(block + want, 0, bs - want);
		hash_block(&salted, block, bs, levels ? tree + start[0] + i * ds : root);
	}
	for (l = 1; l < levels; l++)
		for (i = 0; i < nblocks[l - 1]; i++)
			hash_block(&salted, tree + start[l - 1] + i * bs, bs,
				   tree + start[l] + i * ds);
	if (levels) {
		hash_block(&salted, tree + start[levels - 1], bs, root);
		if (ftruncate(tree_fd, 0) || vt_write_all(tree_fd, tree, total))
			ret = -errno;
	}
out:
	free(tree);
	free(block);
	return ret;
}

/**
 * vt_read_all() - read a file descriptor to its end
 * @fd: what to read
 * @buf: set to a malloc()ed buffer (free it)
 * @len: set to the bytes read
 * @max: more than this many bytes is -EFBIG
 *
 * Return: 0 or a negative errno.
 */
int vt_read_all(int fd, uint8_t **buf, size_t *len, size_t max)
{
	size_t cap = 4096, n = 0;
	uint8_t *b = malloc(cap);

	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *nb;

			if (cap > max) {
				free(b);
				return -EFBIG;
			}
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(b);
			return (int)r;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(b);
		return -EFBIG;
	}
	*buf = b;
	*len = n;
	return 0;
}

/* Return: 0, or -1 with errno set. */
int vt_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/**
 * vt_open_beneath() - open a path below a directory, following no symbolic link
 * @dirfd: the directory
 * @path: relative to it; ".." may not leave it
 * @flags: open flags (O_CLOEXEC and O_NOFOLLOW are added)
 *
 * Return: the descriptor, or -1 with errno set (ELOOP for a symbolic link,
 * EXDEV for a path that leaves @dirfd).
 */
int vt_open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

static int enable_native(int fd, const struct vt_restore *r)
{
	struct verityfs_enable_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.version = 1;
	arg.hash_algorithm = r->desc->alg;
	arg.block_size = r->desc->block_size;
	arg.salt_size = r->desc->salt_size;
	arg.salt_ptr = (uintptr_t)r->desc->salt;
	arg.sig_size = (uint32_t)r->sig_size;
	arg.sig_ptr = (uintptr_t)r->sig;
	return ioctl(fd, VERITYFS_IOC_ENABLE_VERITY, &arg);
}

/*
 * The tree of @fd's data into a new memfd (*@tree_fd), refused (-EBADMSG)
 * unless its root hash is the descriptor's.
 */
static int rebuild_tree(int fd, const struct vt_desc *d, int *tree_fd, const char **why)
{
	uint8_t root[VT_MAX_DIGEST];
	struct stat st;
	int ret;

	*why = "stat";
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size != d->data_size) {
		*why = "the file's size is not the descriptor's data size";
		return -EINVAL;
	}
	*why = "tree rebuilt from the data";
	*tree_fd = memfd_create("verityfs-tree", MFD_CLOEXEC);
	if (*tree_fd < 0)
		return -errno;
	ret = vt_tree_build(fd, d, *tree_fd, root);
	if (!ret && memcmp(root, d->root_hash, d->digest_size)) {
		*why = "the data does not match the descriptor's root hash";
		ret = -EBADMSG;
	}
	return ret;
}

/**
 * vt_restore_verity() - make a file verity with a given descriptor
 * @fd: the file, open read-only, not verity yet
 * @r: the descriptor, signature and tree (or none: rebuilt and checked here)
 * @why: set to a description of the step that failed
 *
 * VERITYFS_IOC_ENABLE_FROM_TREE where the file is on verityfs; where it is
 * not (ENOTTY: native fs-verity), FS_IOC_ENABLE_VERITY with the descriptor's
 * parameters, once the rebuilt root hash has matched (with a tree given,
 * only if r->native_fallback). Either way the digest
 * is measured and compared at the end. A tree that is given is not looked
 * at: the kernel checks the descriptor, and the tree as it is read.
 *
 * Return: 0, or a negative errno (the file may then be verity with another
 * digest only in the -EBADMSG case "measured digest differs").
 */
int vt_restore_verity(int fd, const struct vt_restore *r, const char **why)
{
	const struct vt_desc *d = r->desc;
	struct verityfs_enable_tree_arg arg;
	uint8_t want[VT_MAX_DIGEST];
	struct {
		struct verityfs_digest h;
		uint8_t digest[VT_MAX_DIGEST];
	} m;
	int tree_fd = r->tree_fd, own_tree = -1, ret;

	if (tree_fd < 0) {
		ret = rebuild_tree(fd, d, &own_tree, why);
		if (ret)
			goto out;
		tree_fd = own_tree;
	}

	memset(&arg, 0, sizeof(arg));
	arg.version = 1;
	arg.desc_size = VT_DESC_SIZE;
	arg.desc_ptr = (uintptr_t)d->raw;
	arg.tree_fd = tree_fd;
	arg.sig_size = (uint32_t)r->sig_size;
	arg.sig_ptr = (uintptr_t)r->sig;
	*why = "VERITYFS_IOC_ENABLE_FROM_TREE";
	ret = ioctl(fd, VERITYFS_IOC_ENABLE_FROM_TREE, &arg) ? -errno : 0;
	if (ret == -ENOTTY && (own_tree >= 0 || r->native_fallback)) {
		/* Not a verityfs file: native fs-verity builds the same tree. */
		if (own_tree < 0) {
			ret = rebuild_tree(fd, d, &own_tree, why);
			if (ret)
				goto out;
		}
		*why = "FS_IOC_ENABLE_VERITY";
		ret = enable_native(fd, r) ? -errno : 0;
	}
	if (ret)
		goto out;

	*why = "FS_IOC_MEASURE_VERITY";
	memset(&m, 0, sizeof(m));
	m.h.digest_size = VT_MAX_DIGEST;
	if (ioctl(fd, VERITYFS_IOC_MEASURE_VERITY, &m.h)) {
		ret = -errno;
		goto out;
	}
	vt_desc_digest(d, want);
	if (m.h.digest_algorithm != d->alg || m.h.digest_size != d->digest_size ||
	    memcmp(m.h.digest, want, d->digest_size)) {
		*why = "measured digest differs from the descriptor's";
		ret = -EBADMSG;
	}
out:
	if (own_tree >= 0)
		close(own_tree);
	return ret;
}
