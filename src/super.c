// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: filesystem type, mount context, options and super operations.
 *
 * "mount -t verityfs LOWERDIR MNT" stacks on LOWERDIR (ecryptfs style: the
 * source is the lower directory), also over itself (LOWERDIR == MNT).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/backing-dev.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>

#include "verityfs.h"

static struct kmem_cache *verityfs_inode_cachep;

/* Options given to one mount or reconfiguration. */
struct verityfs_fs_options {
	bool require_sigs;
	unsigned int errors;
};

enum { OPT_REQUIRE_SIGNATURES, OPT_ERRORS };

static const struct constant_table verityfs_errors_values[] = {
	{ "eio",	VERITYFS_ERRORS_EIO },
	{ "panic",	VERITYFS_ERRORS_PANIC },
	{}
};

/*
 * "require_signatures" refuses unsigned verity files on this mount;
 * "norequire_signatures" (the default) leaves it to the module parameter of
 * the same name, which applies to every mount (docs/signatures.md).
 * "errors=" chooses what a corrupted block does (docs/reporting.md).
 */
static const struct fs_parameter_spec verityfs_param_specs[] = {
	fsparam_flag_no("require_signatures", OPT_REQUIRE_SIGNATURES),
	fsparam_enum("errors", OPT_ERRORS, verityfs_errors_values),
	{}
};

static int verityfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct verityfs_fs_options *opts = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, verityfs_param_specs, param, &result);
	if (opt < 0)
		return opt;	/* -ENOPARAM: the VFS names the unknown option */
	switch (opt) {
	case OPT_REQUIRE_SIGNATURES:
		opts->require_sigs = !result.negated;
		break;
	case OPT_ERRORS:
		opts->errors = result.uint_32;
		break;
	default:
		return invalfc(fc, "unhandled option \"%s\"", param->key);
	}
	return 0;
}

static struct inode *verityfs_alloc_inode(struct super_block *sb)
{
	struct verityfs_inode *vinode;

	vinode = kmem_cache_alloc(verityfs_inode_cachep, GFP_KERNEL);
	if (!vinode)
		return NULL;
	vinode->lower_inode = NULL;
	vinode->verity = NULL;
	vinode->flags = 0;
	vinode->kverity_info = NULL;
	return &vinode->vfs_inode;
}

static void verityfs_free_inode(struct inode *inode)
{
	kmem_cache_free(verityfs_inode_cachep, VERITYFS_I(inode));
}

static void verityfs_evict_inode(struct inode *inode)
{
	struct inode *lower = verityfs_lower_inode(inode);

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	verityfs_kverity_evict(inode);
	verityfs_open_free_info(VERITYFS_I(inode)->verity);
	VERITYFS_I(inode)->verity = NULL;
	if (lower) {
		VERITYFS_I(inode)->lower_inode = NULL;
		iput(lower);
	}
}

static int verityfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct verityfs_sb_info *sbi = VERITYFS_SB(dentry->d_sb);
	const struct cred *old;
	int err;

	old = verityfs_lower_override_creds(dentry->d_sb);
	err = vfs_statfs(&sbi->lower_path, buf);
	verityfs_lower_revert_creds(old);
	if (!err)
		buf->f_type = VERITYFS_SUPER_MAGIC;
	return err;
}

/*
 * syncfs(2) and sync -f on the mount: the data lives in the lower
 * filesystem, so that is what is synced. sync(2) walks every superblock
 * itself (SB_I_SKIP_SYNC), so only the waiting pass of syncfs gets here.
 * The lower super block's s_umount is taken inside ours, as overlayfs does.
 */
static int verityfs_sync_fs(struct super_block *sb, int wait)
{
	struct super_block *lower_sb = VERITYFS_SB(sb)->lower_mnt->mnt_sb;
	int err;

	if (!wait)
		return 0;
	down_read(&lower_sb->s_umount);
	err = sync_filesystem(lower_sb);
	up_read(&lower_sb->s_umount);
	return err;
}

static int verityfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct verityfs_sb_info *sbi = VERITYFS_SB(root->d_sb);

	if (READ_ONCE(sbi->require_sigs))
		seq_puts(m, ",require_signatures");
	/* Always shown: what a corrupted block does is worth seeing. */
	seq_printf(m, ",errors=%s",
		   READ_ONCE(sbi->errors) == VERITYFS_ERRORS_PANIC ? "panic" : "eio");
	return 0;
}

static const struct super_operations verityfs_sops = {
	.alloc_inode	= verityfs_alloc_inode,
	.free_inode	= verityfs_free_inode,
	/* Unused upper inodes are not cached: each pins its lower inode. */
	.drop_inode	= inode_just_drop,
	.evict_inode	= verityfs_evict_inode,
	.statfs		= verityfs_statfs,
	.sync_fs	= verityfs_sync_fs,
	.show_options	= verityfs_show_options,
};

/*
 * Give the upper super block its own readahead
 * Without a bdi of its own the upper mapping of a verity file gets no
 * readahead at all (noop_backing_dev_info): every page would be a separate
 * read_folio and a separate lower read. The window follows the lower's.
 */
static int setup_bdi(struct super_block *sb, struct super_block *lower_sb)
{
	int err = super_setup_bdi(sb);

	if (err)
		return err;
	sb->s_bdi->ra_pages = max(sb->s_bdi->ra_pages, lower_sb->s_bdi->ra_pages);
	sb->s_bdi->io_pages = max(sb->s_bdi->io_pages, lower_sb->s_bdi->io_pages);
	return 0;
}

static int verityfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct verityfs_fs_options *opts = fc->fs_private;
	struct verityfs_sb_info *sbi;
	struct super_block *lower_sb;
	struct path lower_path, root_path;
	struct cred *limited;
	struct inode *inode;
	struct dentry *root;
	int err;

	if (!fc->source || !*fc->source)
		return invalfc(fc, "no lower directory given (mount -t verityfs LOWERDIR MNT)");
	err = kern_path(fc->source, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &lower_path);
	if (err == -ENOENT)
		return errorfc(fc, "lower directory %s does not exist", fc->source), err;
	if (err == -ENOTDIR)
		return errorfc(fc, "lower %s is not a directory", fc->source), err;
	if (err)
		return errorfc(fc, "cannot resolve lower directory %s: %pe", fc->source,
			       ERR_PTR(err)), err;

	lower_sb = lower_path.dentry->d_sb;
	err = -EINVAL;
	if (verityfs_compat_mnt_idmapped(lower_path.mnt)) {
		errorfc(fc, "idmapped lower mounts are not supported");
		goto err_path;
	}
	if (lower_sb->s_stack_depth >= FILESYSTEM_MAX_STACK_DEPTH) {
		errorfc(fc, "maximum stacking depth exceeded");
		goto err_path;
	}

	err = -ENOMEM;
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		goto err_path;
	sbi->creds = prepare_creds();
	limited = verityfs_lower_prepare_limited_creds();
	if (!sbi->creds || !limited) {
		if (sbi->creds)
			put_cred(sbi->creds);
		if (limited)
			abort_creds(limited);
		kfree(sbi);
		goto err_path;
	}
	sbi->limited_creds = limited;
	sbi->lower_path = lower_path;
	sbi->require_sigs = opts->require_sigs;
	sbi->errors = opts->errors;
	spin_lock_init(&sbi->last_corruption.lock);
	/* From here kill_sb releases sbi, its creds and its lower path. */
	sb->s_fs_info = sbi;

	/*
	 * Every lower path of the mount goes through a private clone of the
	 * lower mount without its atime flags: whether reading through
	 * verityfs updates atimes is for the verityfs mount's flags to say
	 * (touch_atime() on the upper path, then ->update_time), and below
	 * only the lower superblock's rules apply, as to a bind mount.
	 */
	sbi->lower_mnt = clone_private_mount(&lower_path);
	if (IS_ERR(sbi->lower_mnt)) {
		err = PTR_ERR(sbi->lower_mnt);
		sbi->lower_mnt = NULL;
		return errorfc(fc, "cannot clone the lower mount: %pe", ERR_PTR(err)), err;
	}
	sbi->lower_mnt->mnt_flags &= ~(MNT_NOATIME | MNT_NODIRATIME | MNT_RELATIME);

	/*
	 * Name the mount after its anonymous device, as in /proc/self/mountinfo:
	 * log lines, the panic message and /sys/fs/verityfs/<s_id> all use it.
	 */
	snprintf(sb->s_id, sizeof(sb->s_id), "%u:%u", MAJOR(sb->s_dev), MINOR(sb->s_dev));
	sb->s_magic = VERITYFS_SUPER_MAGIC;
	sb->s_op = &verityfs_sops;
	sb->s_xattr = verityfs_xattr_handlers;
	verityfs_kverity_init_sb(sb);
	verityfs_compat_set_default_d_op(sb, &verityfs_dentry_ops);
	sb->s_stack_depth = lower_sb->s_stack_depth + 1;
	sb->s_maxbytes = lower_sb->s_maxbytes;
	sb->s_time_gran = lower_sb->s_time_gran;
	sb->s_blocksize = lower_sb->s_blocksize;
	sb->s_blocksize_bits = lower_sb->s_blocksize_bits;
	err = setup_bdi(sb, lower_sb);	/* readahead for verity files */
	if (err)
		return err;
	/* The lower applies default ACLs and the umask when it has ACLs. */
	sb->s_flags |= lower_sb->s_flags & SB_POSIXACL;
	/*
	 * Syncs are passed down by ->sync_fs; executables and devices of a
	 * lower that refuses them stay refused through verityfs.
	 */
	sb->s_iflags |= SB_I_SKIP_SYNC;
	if ((lower_path.mnt->mnt_flags & MNT_NOEXEC) || (lower_sb->s_iflags & SB_I_NOEXEC))
		sb->s_iflags |= SB_I_NOEXEC;
	if ((lower_path.mnt->mnt_flags & MNT_NODEV) || (lower_sb->s_iflags & SB_I_NODEV))
		sb->s_iflags |= SB_I_NODEV;

	inode = verityfs_inode_get(sb, d_inode(lower_path.dentry));
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	root = d_make_root(inode);
	if (!root)
		return -ENOMEM;
	root_path.mnt = mntget(sbi->lower_mnt);
	root_path.dentry = dget(lower_path.dentry);
	err = verityfs_dentry_info_set(root, &root_path);
	if (err) {
		dput(root);
		return err;
	}
	sb->s_root = root;
	return verityfs_sysfs_mount_add(sb);

err_path:
	path_put(&lower_path);
	return err;
}

static int verityfs_get_tree(struct fs_context *fc)
{
	return get_tree_nodev(fc, verityfs_fill_super);
}

static int verityfs_reconfigure(struct fs_context *fc)
{
	struct verityfs_fs_options *opts = fc->fs_private;

	/*
	 * ro/rw are the VFS's; require_signatures and errors= are ours and may
	 * change on remount (both are read locklessly). Files whose verity
	 * state is loaded already keep it until their inode goes, as
	 * upstream's do across a change of fs.verity.require_signatures.
	 */
	WRITE_ONCE(VERITYFS_SB(fc->root->d_sb)->require_sigs, opts->require_sigs);
	WRITE_ONCE(VERITYFS_SB(fc->root->d_sb)->errors, opts->errors);
	return 0;
}

static void verityfs_free_fc(struct fs_context *fc)
{
	kfree(fc->fs_private);
}

static const struct fs_context_operations verityfs_context_ops = {
	.parse_param	= verityfs_parse_param,
	.get_tree	= verityfs_get_tree,
	.reconfigure	= verityfs_reconfigure,
	.free		= verityfs_free_fc,
};

static int verityfs_init_fs_context(struct fs_context *fc)
{
	struct verityfs_fs_options *opts;

	opts = kzalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return -ENOMEM;
	/* A remount keeps the options it does not name. */
	if (fc->root) {
		opts->require_sigs = VERITYFS_SB(fc->root->d_sb)->require_sigs;
		opts->errors = VERITYFS_SB(fc->root->d_sb)->errors;
	}
	fc->fs_private = opts;
	fc->ops = &verityfs_context_ops;
	return 0;
}

static void verityfs_kill_sb(struct super_block *sb)
{
	struct verityfs_sb_info *sbi = VERITYFS_SB(sb);

	/* Before the device number is free for another mount to take. */
	if (sbi)
		verityfs_sysfs_mount_remove(sbi);
	kill_anon_super(sb);
	if (sbi) {
		kern_unmount(sbi->lower_mnt);
		path_put(&sbi->lower_path);
		put_cred(sbi->limited_creds);
		put_cred(sbi->creds);
		kfree(sbi);
	}
}

struct file_system_type verityfs_fs_type = {
	.owner			= THIS_MODULE,
	.name			= VERITYFS_NAME,
	.init_fs_context	= verityfs_init_fs_context,
	.parameters		= verityfs_param_specs,
	.kill_sb		= verityfs_kill_sb,
};

static void init_inode_once(void *p)
{
	struct verityfs_inode *vinode = p;

	inode_init_once(&vinode->vfs_inode);
}

/**
 * verityfs_super_init() - create the inode and dentry caches
 *
 * Return: 0 or -ENOMEM.
 */
int verityfs_super_init(void)
{
	int err;

	verityfs_inode_cachep = kmem_cache_create("verityfs_inode",
						  sizeof(struct verityfs_inode), 0,
						  SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
						  init_inode_once);
	if (!verityfs_inode_cachep)
		return -ENOMEM;
	err = verityfs_dentry_cache_init();
	if (err) {
		kmem_cache_destroy(verityfs_inode_cachep);
		return err;
	}
	return 0;
}

/**
 * verityfs_super_exit() - destroy the caches once no mount is left
 */
void verityfs_super_exit(void)
{
	/* Inodes are freed after an RCU grace period (->free_inode). */
	rcu_barrier();
	verityfs_dentry_cache_exit();
	kmem_cache_destroy(verityfs_inode_cachep);
}
