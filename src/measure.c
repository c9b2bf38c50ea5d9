// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: FS_IOC_MEASURE_VERITY, the file digest.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/uaccess.h>

#include <verityfs/fsverity_abi.h>
#include "verityfs.h"

/**
 * verityfs_measure_ioctl() - copy a verity file's digest to user space
 * @vi: the file's verity state, or NULL when it is not a verity file
 * @uarg: user pointer to a struct fsverity_digest
 *
 * Upstream's order: a file without verity fails before user memory is
 * touched. The digest is the one computed when the state was loaded.
 *
 * Return: 0; -ENODATA (not a verity file); -EFAULT; -EOVERFLOW when the
 * caller's digest_size is too small.
 */
int verityfs_measure_ioctl(struct verityfs_verity_info *vi, void __user *uarg)
{
	struct verityfs_digest __user *ud = uarg;
	struct verityfs_digest hdr;

	if (!vi)
		return -ENODATA;
	if (get_user(hdr.digest_size, &ud->digest_size))
		return -EFAULT;
	if (hdr.digest_size < vi->params.digest_size)
		return -EOVERFLOW;
	hdr.digest_algorithm = vi->params.hash_alg;
	hdr.digest_size = vi->params.digest_size;
	if (copy_to_user(ud, &hdr, sizeof(hdr)) ||
	    copy_to_user(ud->digest, vi->file_digest, hdr.digest_size))
		return -EFAULT;
	return 0;
}
