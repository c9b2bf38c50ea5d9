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
 * A new command (issue 16 will add export, import, enable --tree, gc) is one
 * cmd_<name>.c file with its run function and one line in main.c's table.
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

#endif /* _VX_TOOLS_VERITYFS_H */
