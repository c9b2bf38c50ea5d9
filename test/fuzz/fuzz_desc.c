// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs fuzzer: descriptor and FS_IOC_ENABLE_VERITY argument parsing.
 * Copyright (C) 2026 The verityfs authors
 *
 * Whatever the bytes, parsing must not crash, must return upstream's errnos
 * only, and a descriptor that passes must re-encode to the same fields.
 */
#include <stdlib.h>

#include <verityfs/core.h>
#include "../lib/host_hash.h"

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verityfs_core_desc_info info;
	struct verityfs_core_enable_req req;
	struct verityfs_core_params p;
	u8 desc[256], dg[64], fmt[VERITYFS_CORE_FORMATTED_DIGEST_MAX];
	u64 i_size = 0;
	int err;

	if (size >= 128) {
		err = verityfs_core_check_enable_arg(data, &req);
		check(err == 0 || err == -EINVAL || err == -EMSGSIZE);
		if (!err)
			check(req.salt_size <= 32 && req.sig_size <= 16128 &&
			      req.block_size == 1U << req.log_blocksize);
	}
	if (size >= 16)
		memcpy(&i_size, data + 8, 8);	/* let most inputs reach the later checks */

	err = verityfs_core_desc_parse(data, size, i_size, &info);
	check(err == 0 || err == -EINVAL || err == -EMSGSIZE);
	if (err)
		return 0;
	check(size >= 256 && size <= 16384 && info.salt_size <= 32 &&
	      info.sig_size <= size - 256 && info.data_size == i_size);

	err = verityfs_core_init_params(&p, verityfs_core_host_hash(info.hash_alg, data[5] & 1),
					info.hash_alg, info.log_blocksize, info.salt,
					info.salt_size, info.data_size);
	check(err == 0 || err == -EINVAL || err == -EFBIG || err == -ENOPKG);
	if (err)
		return 0;
	check(p.num_levels <= VERITYFS_CORE_MAX_LEVELS &&
	      p.tree_size == p.tree_blocks << p.log_blocksize);

	verityfs_core_desc_encode(&p, info.root_hash, info.sig_size, desc);
	check(desc[0] == 1 && desc[1] == data[1] && desc[2] == data[2] && desc[3] == data[3]);
	check(!memcmp(desc + 4, data + 4, 12));		/* sig_size, data_size */
	check(!memcmp(desc + 16, data + 16, p.digest_size));
	check(!memcmp(desc + 80, data + 80, p.salt_size));
	check(verityfs_core_file_digest(p.hash, data, dg) == 0);
	check(verityfs_core_formatted_digest(p.hash_alg, dg, fmt) == 12 + (int)p.digest_size);
	return 0;
}
