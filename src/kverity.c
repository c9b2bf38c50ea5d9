// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: verity files as the rest of the kernel sees them.
 *
 * overlayfs (verity=), IMA (digest_type=verity), IPE (fsverity_digest=) and
 * BPF (bpf_get_fsverity_digest) do not call FS_IOC_MEASURE_VERITY: they ask
 * the kernel's own fs-verity, through IS_VERITY() and fsverity_get_digest().
 * So a verityfs verity inode carries S_VERITY from the moment verityfs knows
 * it is one, its super block has fs-verity operations, and every open of it
 * lets fs/verity build its info from the file's descriptor, as ext4's open
 * does. That info is all fs/verity holds: verityfs keeps its own read path,
 * hash-block cache, store and keyring, answers the fs-verity ioctls itself
 * and verifies its own reads, so fs/verity never calls the enable and
 * Merkle tree operations, and they stay NULL.
 *
 * fs/verity is given the descriptor without the signature. verityfs checked
 * the signature against the mount's policy when it loaded the file; shown to
 * fs/verity, it would be judged again by the kernel's .fs-verity keyring and
 * fs.verity.require_signatures, which may refuse what the mount accepts. So
 * IPE's fsverity_signature= is never true for a verityfs file, and with
 * require_signatures=1 fs/verity refuses every verityfs file (to it they are
 * unsigned).
 *
 * For the same reason building the info is best effort: a file that
 * verityfs opens never fails to open because fs/verity would not take it
 * (that sysctl, Merkle blocks smaller than a page before 6.3, no memory).
 * Its consumers then see a verity file whose digest they cannot get, and
 * refuse it themselves, as they would refuse an ext4 file in that state.
 * docs/integration.md has the rules per kernel.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>
#include <linux/fsverity.h>

#include "verityfs.h"

#if IS_ENABLED(CONFIG_FS_VERITY)

/*
 * The descriptor as FS_IOC_READ_VERITY_METADATA returns it (sig_size zero,
 * no signature): its digest is the file digest verityfs measures. fs/verity
 * asks only from fsverity_file_open(), after verityfs_open_verity() loaded
 * the state; -ENODATA should an unloaded inode ever be asked.
 */
static int kverity_get_descriptor(struct inode *inode, void *buf, size_t bufsize)
{
	/* Pairs with the cmpxchg() that installs the state (open.c). */
	struct verityfs_verity_info *vi = smp_load_acquire(&VERITYFS_I(inode)->verity);

	if (!vi)
		return -ENODATA;
	if (!bufsize)
		return VERITYFS_CORE_DESC_SIZE;
	if (bufsize < VERITYFS_CORE_DESC_SIZE)
		return -ERANGE;
	memcpy(buf, vi->desc, VERITYFS_CORE_DESC_SIZE);
	return VERITYFS_CORE_DESC_SIZE;
}

static const struct fsverity_operations verityfs_kverity_ops = {
	.get_verity_descriptor = kverity_get_descriptor,
#ifdef HAVE_FSVERITY_INODE_INFO_OFFS
	.inode_info_offs = (int)offsetof(struct verityfs_inode, kverity_info) -
			   (int)offsetof(struct verityfs_inode, vfs_inode),
#endif
};

/**
 * verityfs_kverity_init_sb() - give a new super block the fs-verity operations
 * @sb: the verityfs super block
 */
void verityfs_kverity_init_sb(struct super_block *sb)
{
	sb->s_vop = &verityfs_kverity_ops;
}

/**
 * verityfs_kverity_mark() - make a verity inode a verity inode for the kernel too
 * @inode: an upper inode that just became a verity inode
 */
void verityfs_kverity_mark(struct inode *inode)
{
	inode_set_flags(inode, S_VERITY, S_VERITY);
}

/**
 * verityfs_kverity_open() - let fs/verity learn a verity file at its open
 * @inode: the upper verity inode, its state loaded
 * @file: the upper file being opened, read-only
 *
 * Never fails: a file fs/verity will not take is said once per inode in the
 * log, and opens all the same (see the top of this file). One it can never
 * take (a descriptor this kernel's fs/verity does not support: -EINVAL,
 * -ENOPKG) is not offered again, since fs/verity would log each refusal;
 * the others (the sysctl, -ENOMEM) are, at every open.
 */
void verityfs_kverity_open(struct inode *inode, struct file *file)
{
	unsigned long *flags = &VERITYFS_I(inode)->flags;
	int err;

	if (test_bit(VERITYFS_IF_KVERITY_UNFIT, flags))
		return;
	err = fsverity_file_open(inode, file);
	if (!err)
		return;
	if (err == -EINVAL || err == -ENOPKG)
		set_bit(VERITYFS_IF_KVERITY_UNFIT, flags);
	if (!test_and_set_bit(VERITYFS_IF_KVERITY_REFUSED, flags))
		verityfs_warn(inode,
			      "the kernel's fs-verity did not take this file (%pe): overlayfs, IMA and IPE get no digest for it",
			      ERR_PTR(err));
}

/**
 * verityfs_kverity_evict() - free what fs/verity holds for an inode
 * @inode: the upper inode being evicted, after clear_inode()
 */
void verityfs_kverity_evict(struct inode *inode)
{
	verityfs_compat_fsverity_cleanup(inode);
}

#endif /* CONFIG_FS_VERITY */
