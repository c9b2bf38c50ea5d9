// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs tool: what a verity file's metadata says, through the standard
 * fs-verity ioctls only (FS_IOC_MEASURE_VERITY, FS_IOC_READ_VERITY_METADATA),
 * so that native fs-verity files and verityfs ones read the same.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <verityfs/fsverity_abi.h>

#include "verityfs.h"

/* struct fsverity_descriptor (reference fsverity-abi.md section 2.1): the bytes we read. */
#define DESC_SIZE		256
#define DESC_OFF_LOG_BLOCKSIZE	2
#define DESC_OFF_SALT_SIZE	3

/**
 * vt_open_verity() - open a file for reading its data and metadata
 * @path: the file
 *
 * O_NOATIME where the caller may use it (the owner, or CAP_FOWNER), so that
 * a scrub leaves access times alone; never follows a final symbolic link.
 *
 * Return: the descriptor, or -1 with errno set.
 */
int vt_open_verity(const char *path)
{
	int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY;
	int fd = open(path, flags | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = open(path, flags);
	return fd;
}

static int read_metadata(int fd, unsigned int type, void *buf, size_t len)
{
	struct verityfs_read_metadata_arg arg;

	memset(&arg, 0, sizeof(arg));
	arg.metadata_type = type;
	arg.offset = 0;
	arg.length = len;
	arg.buf_ptr = (uintptr_t)buf;
	return ioctl(fd, VERITYFS_IOC_READ_VERITY_METADATA, &arg);
}

/*
 * The kernel cannot read metadata back from this file: native fs-verity
 * before 5.12 has no FS_IOC_READ_VERITY_METADATA (ENOTTY), and a
 * filesystem may answer EOPNOTSUPP.
 */
static bool metadata_unsupported(int err)
{
	return err == ENOTTY || err == EOPNOTSUPP;
}

/**
 * vt_verity_read() - the digest, block size and signature state of a verity file
 * @fd: the file, open for reading
 * @v: filled in
 *
 * Return: 0; or -1 with errno set when the file has no verity digest
 * (ENODATA: not a verity file) or an ioctl failed otherwise.
 */
int vt_verity_read(int fd, struct vt_verity *v)
{
	struct {
		struct verityfs_digest d;
		uint8_t room[VT_MAX_DIGEST];
	} m;
	uint8_t desc[DESC_SIZE];
	uint8_t sig;
	int n;

	memset(v, 0, sizeof(*v));
	memset(&m, 0, sizeof(m));
	m.d.digest_size = VT_MAX_DIGEST;
	if (ioctl(fd, VERITYFS_IOC_MEASURE_VERITY, &m.d))
		return -1;
	if (m.d.digest_size > VT_MAX_DIGEST) {
		errno = EOVERFLOW;
		return -1;
	}
	v->alg = m.d.digest_algorithm;
	v->digest_size = m.d.digest_size;
	memcpy(v->digest, m.d.digest, v->digest_size);
	v->signed_state = -1;

	n = read_metadata(fd, VERITYFS_METADATA_TYPE_DESCRIPTOR, desc, sizeof(desc));
	if (n < 0)
		return metadata_unsupported(errno) ? 0 : -1;
	if (n < DESC_OFF_SALT_SIZE + 1 || desc[DESC_OFF_LOG_BLOCKSIZE] > 30) {
		errno = EBADMSG;
		return -1;
	}
	v->block_size = 1U << desc[DESC_OFF_LOG_BLOCKSIZE];
	v->salted = desc[DESC_OFF_SALT_SIZE] != 0;

	/* One byte is enough to tell: an unsigned file has no signature (ENODATA). */
	n = read_metadata(fd, VERITYFS_METADATA_TYPE_SIGNATURE, &sig, 1);
	if (n >= 0)
		v->signed_state = n > 0;
	else if (errno == ENODATA)
		v->signed_state = 0;
	else if (!metadata_unsupported(errno))
		return -1;
	return 0;
}

/* The name `fsverity measure` prints for an algorithm. */
const char *vt_hash_name(unsigned int alg)
{
	switch (alg) {
	case VERITYFS_HASH_ALG_SHA256:
		return "sha256";
	case VERITYFS_HASH_ALG_SHA512:
		return "sha512";
	default:
		return NULL;
	}
}

/**
 * vt_digest_hex() - "sha256:<hex>", as `fsverity measure` prints a digest
 * @v: the file's verity state
 * @out: room for 16 + 2 * VT_MAX_DIGEST + 1 bytes
 */
void vt_digest_hex(const struct vt_verity *v, char *out)
{
	const char *name = vt_hash_name(v->alg);
	unsigned int i;

	if (name)
		out += sprintf(out, "%s:", name);
	else
		out += sprintf(out, "ALG_%u:", v->alg);
	for (i = 0; i < v->digest_size; i++)
		out += sprintf(out, "%02x", v->digest[i]);
}
