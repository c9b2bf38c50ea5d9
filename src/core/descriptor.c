// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs core: FS_IOC_ENABLE_VERITY argument checks, the fs-verity
 * descriptor (encode, validate), the file digest and the signed message.
 *
 * Checks run in upstream's order with upstream's errnos, because user space
 * (xfstests, the fsverity tool) sees the first failing check's errno.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include "core_private.h"

/* The on-disk layout is ABI: a size change would break every stored file. */
static_assert(sizeof(struct verityfs_core_desc) == VERITYFS_CORE_DESC_SIZE);

/* The enable argument is native-endian; read it without alignment demands. */
static u32 verityfs_core_get_u32(const u8 *buf, unsigned int off)
{
	u32 v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

static u64 verityfs_core_get_u64(const u8 *buf, unsigned int off)
{
	u64 v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

int verityfs_core_check_enable_arg(const void *arg,
				   struct verityfs_core_enable_req *req)
{
	const u8 *a = arg;
	u32 block_size;

	memset(req, 0, sizeof(*req));
	if (verityfs_core_get_u32(a, 0) != 1)		/* version */
		return -EINVAL;
	if (verityfs_core_get_u32(a, 28) ||		/* __reserved1 */
	    memchr_inv(a + 40, 0, 88))	/* __reserved2[11] */
		return -EINVAL;
	block_size = verityfs_core_get_u32(a, 8);
	if (block_size == 0 || (block_size & (block_size - 1)))
		return -EINVAL;
	req->salt_size = verityfs_core_get_u32(a, 12);
	if (req->salt_size > VERITYFS_CORE_MAX_SALT_SIZE)
		return -EMSGSIZE;
	req->sig_size = verityfs_core_get_u32(a, 24);
	if (req->sig_size > VERITYFS_CORE_MAX_SIG_SIZE)
		return -EMSGSIZE;

	req->hash_alg = verityfs_core_get_u32(a, 4);
	req->block_size = block_size;
	while ((1U << req->log_blocksize) != block_size)
		req->log_blocksize++;
	req->salt_ptr = verityfs_core_get_u64(a, 16);
	req->sig_ptr = verityfs_core_get_u64(a, 32);
	return 0;
}

void verityfs_core_desc_encode(const struct verityfs_core_params *p,
			       const u8 *root_hash, u32 sig_size, void *out)
{
	struct verityfs_core_desc *d = out;

	memset(d, 0, sizeof(*d));
	d->version = 1;
	d->hash_algorithm = p->hash_alg;
	d->log_blocksize = p->log_blocksize;
	d->salt_size = p->salt_size;
	d->sig_size = cpu_to_le32(sig_size);
	d->data_size = cpu_to_le64(p->data_size);
	memcpy(d->root_hash, root_hash, p->digest_size);
	memcpy(d->salt, p->salt, p->salt_size);
}

int verityfs_core_desc_parse(const void *buf, size_t size, u64 i_size,
			     struct verityfs_core_desc_info *info)
{
	struct verityfs_core_desc d;

	memset(info, 0, sizeof(*info));
	/* Upstream refuses oversized descriptors before reading them. */
	if (size > VERITYFS_CORE_MAX_DESC_SIZE)
		return -EMSGSIZE;
	if (size < sizeof(d))
		return -EINVAL;
	memcpy(&d, buf, sizeof(d));
	if (d.version != 1)
		return -EINVAL;
	if (memchr_inv(d.__reserved, 0, sizeof(d.__reserved)))
		return -EINVAL;
	if (d.salt_size > sizeof(d.salt))
		return -EINVAL;
	/* A file resized behind our back must not open. */
	if (le64_to_cpu(d.data_size) != i_size)
		return -EINVAL;
	if (le32_to_cpu(d.sig_size) > size - sizeof(d))
		return -EINVAL;

	info->hash_alg = d.hash_algorithm;
	info->log_blocksize = d.log_blocksize;
	info->salt_size = d.salt_size;
	info->sig_size = le32_to_cpu(d.sig_size);
	info->data_size = le64_to_cpu(d.data_size);
	memcpy(info->salt, d.salt, sizeof(d.salt));
	memcpy(info->root_hash, d.root_hash, sizeof(d.root_hash));
	return 0;
}

int verityfs_core_file_digest(const struct verityfs_core_hash *h,
			      const void *desc, u8 *out)
{
	static const u8 zero_sig_size[4];
	u64 state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
	const u8 *d = desc;
	int err;

	if (h->state_size > sizeof(state))
		return -EINVAL;
	/*
	 * The digest covers the descriptor with sig_size zero, so that the
	 * signature can be stored in that field's place after signing.
	 */
	err = h->ops->init(h, state);
	if (!err)
		err = h->ops->update(h, state, d, 4);
	if (!err)
		err = h->ops->update(h, state, zero_sig_size, 4);
	if (!err)
		err = h->ops->update(h, state, d + 8, VERITYFS_CORE_DESC_SIZE - 8);
	if (!err)
		err = h->ops->final(h, state, out);
	return err;
}

void verityfs_core_desc_clear_sig_size(void *desc)
{
	struct verityfs_core_desc *d = desc;

	d->sig_size = 0;
}

int verityfs_core_formatted_digest(u32 alg, const u8 *digest, u8 *out)
{
	unsigned int size = verityfs_core_hash_digest_size(alg);
	__le16 v;

	if (!size)
		return -EINVAL;
	memcpy(out, "FSVerity", 8);
	v = cpu_to_le16(alg);
	memcpy(out + 8, &v, 2);
	v = cpu_to_le16(size);
	memcpy(out + 10, &v, 2);
	memcpy(out + 12, digest, size);
	return 12 + size;
}
