/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs tool: the command table and the helpers the commands share.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_TOOLS_VERITYFS_H
#define _VX_TOOLS_VERITYFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Exit statuses every command shares; a command adds its own below 2. */
#define VT_EXIT_OK		0
#define VT_EXIT_USAGE		2	/* bad command line */

/**
 * struct vt_command - one subcommand of `verityfs`
 * @name: what the user types after `verityfs`
 * @run: the command; argv[0] is @name, options follow. Returns the exit status.
 * @usage: the synopsis after "verityfs " (help and usage errors)
 * @summary: one line for `verityfs help`
 *
 * A new command is one cmd_<name>.c file with its run function and one line
 * in main.c's table.
 */
struct vt_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *summary;
};

/* cmd_*.c: the commands (struct vt_command.run) */
int vt_cmd_list(int argc, char **argv);
int vt_cmd_scrub(int argc, char **argv);
int vt_cmd_load_keys(int argc, char **argv);
int vt_cmd_enable(int argc, char **argv);
int vt_cmd_export(int argc, char **argv);
int vt_cmd_import(int argc, char **argv);
int vt_cmd_gc(int argc, char **argv);

/* main.c */
extern const char *vt_prog;		/* "verityfs <command>", for messages */
void vt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vt_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* walk.c */
/**
 * struct vt_walk - how to walk the PATH arguments of a command
 * @one_fs: stay on the filesystem of each PATH (-x)
 * @visit: called for every verity file, with its path and statx size;
 *	returns 0, or a value ORed into the walk's result
 * @ctx: passed to @visit
 *
 * Only regular files whose statx attributes carry STATX_ATTR_VERITY are
 * visited: nothing else is opened. Directories are read in byte order of
 * their names, so the output is the same on every filesystem. Symbolic
 * links are followed only when given as a PATH.
 */
struct vt_walk {
	bool one_fs;
	int (*visit)(const char *path, uint64_t size, void *ctx);
	void *ctx;
};
/* Returns the ORed results of visit(), and VT_WALK_ERROR if a path or directory could not be read. */
#define VT_WALK_ERROR	0x100
int vt_walk_paths(const struct vt_walk *w, char **paths, int npaths);

/* meta.c */
#define VT_MAX_DIGEST	64

/**
 * struct vt_verity - what the fs-verity ioctls say about an open verity file
 * @alg: FS_VERITY_HASH_ALG_* from MEASURE
 * @digest_size: bytes of @digest
 * @digest: the file digest
 * @block_size: Merkle block size from the descriptor, 0 when unknown (the
 *	kernel has no FS_IOC_READ_VERITY_METADATA for this file: native fs-verity
 *	before 5.12)
 * @salted: the descriptor has a salt (valid when @block_size is known)
 * @signed_state: 1 signed, 0 unsigned, -1 unknown (as @block_size)
 */
struct vt_verity {
	unsigned int alg;
	unsigned int digest_size;
	uint8_t digest[VT_MAX_DIGEST];
	unsigned int block_size;
	bool salted;
	int signed_state;
};
int vt_verity_read(int fd, struct vt_verity *v);
const char *vt_hash_name(unsigned int alg);
void vt_digest_hex(const struct vt_verity *v, char *out);
int vt_open_verity(const char *path);

/* sha2.c */
#define VT_HASH_SHA256	1	/* the fs-verity algorithm numbers */
#define VT_HASH_SHA512	2

/**
 * struct vt_hash - a SHA-256 or SHA-512 in progress
 * @alg: VT_HASH_SHA256 or VT_HASH_SHA512
 * @block: bytes of the algorithm's input block (64 or 128)
 * @size: bytes of the digest (32 or 64)
 * @fill: bytes waiting in @buf
 * @total: bytes hashed so far
 * @h32: SHA-256 state
 * @h64: SHA-512 state
 * @buf: a partial input block
 */
struct vt_hash {
	unsigned int alg, block, size;
	size_t fill;
	uint64_t total;
	uint32_t h32[8];
	uint64_t h64[8];
	uint8_t buf[128];
};
int vt_hash_init(struct vt_hash *c, unsigned int alg);
void vt_hash_update(struct vt_hash *c, const void *data, size_t len);
void vt_hash_final(struct vt_hash *c, uint8_t *out);

/* desc.c: fs-verity descriptors, Merkle trees, enabling from them */
#define VT_DESC_SIZE	256	/* struct fsverity_descriptor */
#define VT_MAX_SIG	16128	/* FS_VERITY_MAX_SIGNATURE_SIZE */
#define VT_MAX_SALT	32

/**
 * struct vt_desc - the fields of a 256-byte fs-verity descriptor
 * @raw: the descriptor as given (the file digest hashes it with sig_size 0)
 * @alg: VT_HASH_*
 * @digest_size: bytes of a hash of @alg
 * @block_size: Merkle tree block size
 * @salt_size: bytes of @salt
 * @data_size: bytes of file data
 * @root_hash: the tree's root hash (@digest_size bytes)
 * @salt: the salt
 */
struct vt_desc {
	uint8_t raw[VT_DESC_SIZE];
	unsigned int alg;
	unsigned int digest_size;
	unsigned int block_size;
	unsigned int salt_size;
	uint64_t data_size;
	const uint8_t *root_hash;
	const uint8_t *salt;
};
int vt_desc_parse(const void *raw, size_t len, struct vt_desc *d);
void vt_desc_digest(const struct vt_desc *d, uint8_t *out);
int vt_tree_build(int data_fd, const struct vt_desc *d, int tree_fd, uint8_t *root);
int vt_read_all(int fd, uint8_t **buf, size_t *len, size_t max);
int vt_write_all(int fd, const void *buf, size_t len);

/**
 * struct vt_restore - the verity metadata carried for one file
 * @desc: the descriptor
 * @sig: DER PKCS#7 signature, or NULL
 * @sig_size: bytes of @sig
 * @tree_fd: the Merkle tree (upstream's serialization), or -1: rebuilt from
 *	the data and checked against the descriptor's root hash first
 * @native_fallback: where the file is not on verityfs (native fs-verity),
 *	rebuild the tree and use FS_IOC_ENABLE_VERITY even when @tree_fd is given
 */
struct vt_restore {
	const struct vt_desc *desc;
	const uint8_t *sig;
	size_t sig_size;
	int tree_fd;
	bool native_fallback;
};
int vt_restore_verity(int fd, const struct vt_restore *r, const char **why);

/* tar.c */
int vt_tar_start(char **argv, bool writes, pid_t *pid);
int vt_tar_wait(pid_t pid);

/* export and import: opening a member's path: beneath a directory, no symbolic links */
int vt_open_beneath(int dirfd, const char *path, int flags);

#endif /* _VX_TOOLS_VERITYFS_H */
