// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: FS_IOC_READ_VERITY_METADATA, the Merkle tree, descriptor and
 * signature as upstream returns them (also on 5.10, whose headers lack it).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <verityfs/fsverity_abi.h>
#include "verityfs.h"

/* Copy [offset, offset + length) of a memory item, pread style. */
static ssize_t copy_item(const void *item, u64 size, u64 offset, u64 length,
			 void __user *buf)
{
	if (offset >= size)
		return 0;
	length = min(length, size - offset);
	if (copy_to_user(buf, (const u8 *)item + offset, length))
		return -EFAULT;
	return length;
}

/*
 * The tree is not authenticated here (upstream does not either): it is
 * copied from the tree file a page at a time. Like pread, a signal or fault
 * after some bytes returns the bytes copied so far.
 */
static ssize_t copy_tree(struct verityfs_verity_info *vi, u64 offset, u64 length,
			 void __user *buf)
{
	u64 size = vi->params.tree_size;
	ssize_t copied = 0, err = 0;
	void *page;

	if (offset >= size)
		return 0;
	length = min(length, size - offset);
	page = (void *)__get_free_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	while (length) {
		size_t chunk = min_t(u64, length, PAGE_SIZE);
		loff_t pos = vi->tree_pos + offset;
		ssize_t n;

		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		n = kernel_read(vi->tree_file, page, chunk, &pos);
		if (n != chunk) {
			err = n < 0 ? n : -EIO;
			break;
		}
		if (copy_to_user(buf, page, chunk)) {
			err = -EFAULT;
			break;
		}
		buf += chunk;
		offset += chunk;
		length -= chunk;
		copied += chunk;
		cond_resched();
	}
	free_page((unsigned long)page);
	return copied ? copied : err;
}

/**
 * verityfs_read_metadata_ioctl() - FS_IOC_READ_VERITY_METADATA
 * @vi: the file's verity state, or NULL when it is not a verity file
 * @uarg: user pointer to a struct fsverity_read_metadata_arg
 *
 * Return: bytes copied (0 at or past the end of the item); -ENODATA (not a
 * verity file, or no signature for type 3); -EFAULT; -EINVAL (unknown type,
 * reserved field set, offset + length overflowing); -EINTR; -EIO.
 */
long verityfs_read_metadata_ioctl(struct verityfs_verity_info *vi, void __user *uarg)
{
	struct verityfs_read_metadata_arg arg;
	void __user *buf;
	u64 length;

	if (!vi)
		return -ENODATA;
	if (copy_from_user(&arg, uarg, sizeof(arg)))
		return -EFAULT;
	if (arg.__reserved)
		return -EINVAL;
	/*
	 * As upstream: an offset and length that wrap are refused as given,
	 * before the length is clamped to what the return value can say.
	 */
	if (arg.offset + arg.length < arg.offset)
		return -EINVAL;
	length = min_t(u64, arg.length, INT_MAX);
	buf = u64_to_user_ptr(arg.buf_ptr);

	switch (arg.metadata_type) {
	case VERITYFS_METADATA_TYPE_MERKLE_TREE:
		return copy_tree(vi, arg.offset, length, buf);
	case VERITYFS_METADATA_TYPE_DESCRIPTOR:
		return copy_item(vi->desc, VERITYFS_CORE_DESC_SIZE, arg.offset, length, buf);
	case VERITYFS_METADATA_TYPE_SIGNATURE:
		if (!vi->sig_size)
			return -ENODATA;
		return copy_item((const u8 *)vi->desc + VERITYFS_CORE_DESC_SIZE,
				 vi->sig_size, arg.offset, length, buf);
	default:
		return -EINVAL;
	}
}
