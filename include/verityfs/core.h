/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs core: API of the portable fs-verity core (Merkle geometry, tree
 * build, descriptor, file digest, block verification).
 *
 * The same code runs in the kernel module and in the host library. It never
 * allocates and never does I/O: callers pass the parameter struct, buffers
 * and callbacks, and get 0 or a negative errno back. Hashing goes through
 * struct verityfs_core_hash, which a backend (crypto_shash in the module,
 * OpenSSL on the host) fills in.
 *
 * Tree layout (upstream's, what FS_IOC_READ_VERITY_METADATA returns): level 0
 * holds the hashes of the data blocks and is stored last; the highest level
 * is a single block, stored first; the root hash is the hash of that block.
 * Every tree block is block_size bytes; every hash is H(salt prefix || block).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_CORE_H
#define _VX_VERITYFS_CORE_H

#include <verityfs/core_env.h>

#define VERITYFS_CORE_HASH_ALG_SHA256	1
#define VERITYFS_CORE_HASH_ALG_SHA512	2

/* Upstream's FS_VERITY_MAX_LEVELS: deeper trees are refused with -EFBIG. */
#define VERITYFS_CORE_MAX_LEVELS	8
/* SHA-512; also the size of the descriptor's root_hash field. */
#define VERITYFS_CORE_MAX_DIGEST_SIZE	64
/* The descriptor's salt field. */
#define VERITYFS_CORE_MAX_SALT_SIZE	32
/* Block sizes 1 KiB .. 64 KiB: 64 KiB is the largest page size upstream supports. */
#define VERITYFS_CORE_MIN_LOG_BLOCKSIZE	10
#define VERITYFS_CORE_MAX_LOG_BLOCKSIZE	16
/* struct fsverity_descriptor without the appended signature. */
#define VERITYFS_CORE_DESC_SIZE		256
/* Upstream's FS_VERITY_MAX_DESCRIPTOR_SIZE (descriptor plus signature). */
#define VERITYFS_CORE_MAX_DESC_SIZE	16384
#define VERITYFS_CORE_MAX_SIG_SIZE	(VERITYFS_CORE_MAX_DESC_SIZE - VERITYFS_CORE_DESC_SIZE)
/* struct fsverity_enable_arg, the FS_IOC_ENABLE_VERITY argument. */
#define VERITYFS_CORE_ENABLE_ARG_SIZE	128
/* "FSVerity" + le16 algorithm + le16 size + digest. */
#define VERITYFS_CORE_FORMATTED_DIGEST_MAX (12 + VERITYFS_CORE_MAX_DIGEST_SIZE)
/*
 * Room for one backend hash state (a crypto_shash descriptor in the module,
 * an OpenSSL SHA*_CTX on the host). A backend that needs more is refused.
 */
#define VERITYFS_CORE_HASH_STATE_SIZE	384

struct verityfs_core_hash;

/**
 * struct verityfs_core_hash_ops - what a hash backend implements
 * @init: start a hash in @state (state_size bytes, 8-byte aligned)
 * @update: feed @len bytes
 * @final: write the digest (digest size of the algorithm) to @out
 * @export: optional; save @state into @out (export_size bytes). NULL means
 *	the state is plain memory and is copied with memcpy().
 * @import: optional; the inverse of @export. Set both or neither.
 * @finup2: optional two-block slot: starting from the exported state @saved
 *	(the salted prefix), hash @data1 and @data2 (@len bytes each) into
 *	@out1 and @out2. Backends with interleaved SHA implementations use it to
 *	hash two independent blocks at once; the results must equal two 1-way
 *	hashes.
 * @hash_blocks: optional: starting from @saved each time, hash @n
 *	consecutive blocks of @len bytes at @data into @out, @n digests one
 *	after the other. The tree build uses it for the data blocks; a backend
 *	may spread the blocks over CPUs. The results must equal @n 1-way hashes.
 *
 * Every op returns 0 or a negative errno.
 */
struct verityfs_core_hash_ops {
	int (*init)(const struct verityfs_core_hash *h, void *state);
	int (*update)(const struct verityfs_core_hash *h, void *state,
		      const void *data, size_t len);
	int (*final)(const struct verityfs_core_hash *h, void *state, u8 *out);
	int (*export)(const struct verityfs_core_hash *h, const void *state,
		      void *out);
	int (*import)(const struct verityfs_core_hash *h, void *state,
		      const void *in);
	int (*finup2)(const struct verityfs_core_hash *h, const void *saved,
		      const void *data1, const void *data2, size_t len,
		      u8 *out1, u8 *out2);
	int (*hash_blocks)(const struct verityfs_core_hash *h, const void *saved,
			   const void *data, size_t len, unsigned int n, u8 *out);
};

/**
 * struct verityfs_core_hash - one backend instance for one algorithm
 * @ops: the backend's operations
 * @priv: backend-private (the module stores its crypto_shash here)
 * @alg: VERITYFS_CORE_HASH_ALG_* this instance computes
 * @state_size: bytes of working state, at most VERITYFS_CORE_HASH_STATE_SIZE
 * @export_size: bytes of exported state (== @state_size without export/import)
 */
struct verityfs_core_hash {
	const struct verityfs_core_hash_ops *ops;
	void *priv;
	unsigned int alg;
	unsigned int state_size;
	unsigned int export_size;
};

/**
 * struct verityfs_core_params - geometry of one file's Merkle tree
 *
 * Filled once by verityfs_core_init_params(); read-only afterwards, so it may
 * be shared by concurrent readers. Nothing else re-derives these values.
 */
struct verityfs_core_params {
	const struct verityfs_core_hash *hash;	/* backend for @hash_alg */
	u8 hash_alg;			/* VERITYFS_CORE_HASH_ALG_* */
	u8 log_blocksize;		/* log2(block_size), 10..16 */
	u8 log_digestsize;		/* log2(digest_size) */
	u8 log_arity;			/* log2(hashes_per_block) */
	u8 num_levels;			/* tree levels, 0..VERITYFS_CORE_MAX_LEVELS */
	u8 salt_size;			/* bytes of @salt in use */
	unsigned int digest_size;	/* bytes: 32 or 64 */
	unsigned int hash_block_size;	/* compression-function block: 64 or 128 */
	unsigned int block_size;	/* Merkle tree block size in bytes */
	unsigned int hashes_per_block;	/* block_size / digest_size */
	u64 data_size;			/* file size in bytes */
	u64 data_blocks;		/* data blocks, last one maybe partial */
	u64 tree_blocks;		/* blocks in all levels */
	u64 tree_size;			/* bytes: tree_blocks * block_size */
	u64 level_start[VERITYFS_CORE_MAX_LEVELS];  /* first block of each level */
	u64 level_blocks[VERITYFS_CORE_MAX_LEVELS]; /* blocks in each level */
	u8 salt[VERITYFS_CORE_MAX_SALT_SIZE];	/* zero past @salt_size */
	/* backend state after hashing the padded salt (or none): every block hash starts here */
	u64 salted_state[VERITYFS_CORE_HASH_STATE_SIZE / 8];
};

/**
 * struct verityfs_core_enable_req - FS_IOC_ENABLE_VERITY argument, checked
 * @hash_alg: as given (a u32; checked later by verityfs_core_init_params())
 * @block_size: a power of two (range checked later)
 * @log_blocksize: log2(@block_size)
 * @salt_size: 0..32
 * @sig_size: 0..VERITYFS_CORE_MAX_SIG_SIZE
 * @salt_ptr: user pointer to the salt
 * @sig_ptr: user pointer to the signature
 */
struct verityfs_core_enable_req {
	u32 hash_alg;
	u32 block_size;
	u32 log_blocksize;
	u32 salt_size;
	u32 sig_size;
	u64 salt_ptr;
	u64 sig_ptr;
};

/**
 * struct verityfs_core_desc_info - a parsed, validated descriptor
 * @hash_alg: hash_algorithm byte (checked by verityfs_core_init_params())
 * @log_blocksize: log_blocksize byte (checked by verityfs_core_init_params())
 * @salt_size: 0..32
 * @sig_size: bytes of signature following the 256-byte descriptor
 * @data_size: file size recorded at enable time
 * @salt: the salt field
 * @root_hash: the root_hash field
 */
struct verityfs_core_desc_info {
	u8 hash_alg;
	u8 log_blocksize;
	u8 salt_size;
	u32 sig_size;
	u64 data_size;
	u8 salt[VERITYFS_CORE_MAX_SALT_SIZE];
	u8 root_hash[VERITYFS_CORE_MAX_DIGEST_SIZE];
};

/**
 * struct verityfs_core_verify_fail - where a verification failed (for logs)
 * @level: tree level whose hash mismatched, or -1 for the data block
 * @tree_block: tree block index of the mismatching block (level >= 0)
 * @want: expected hash
 * @real: computed hash
 */
struct verityfs_core_verify_fail {
	int level;
	u64 tree_block;
	u8 want[VERITYFS_CORE_MAX_DIGEST_SIZE];
	u8 real[VERITYFS_CORE_MAX_DIGEST_SIZE];
};

/**
 * typedef verityfs_core_read_fn - read file data for the tree build
 * @ctx: caller's context
 * @pos: byte offset in the file
 * @buf: destination
 * @len: bytes wanted; all of them must be delivered
 *
 * Return: 0 when all @len bytes were read, else a negative errno, which the
 * build returns unchanged (for example -EINTR on a fatal signal, -EIO).
 */
typedef int (*verityfs_core_read_fn)(void *ctx, u64 pos, void *buf, size_t len);

/**
 * typedef verityfs_core_sink_fn - receive one finished tree block
 * @ctx: caller's context
 * @level: tree level, 0 = lowest
 * @index: block index in the serialized tree (level_start[level] + n)
 * @block: block_size bytes, valid only during the call
 *
 * Blocks do not arrive in index order (level 0 fills first).
 *
 * Return: 0, or a negative errno that aborts the build and is returned.
 */
typedef int (*verityfs_core_sink_fn)(void *ctx, unsigned int level, u64 index,
				      const void *block);

/**
 * typedef verityfs_core_read_tree_fn - fetch one tree block for verification
 * @ctx: caller's context
 * @index: block index in the serialized tree
 * @buf: block_size bytes to fill
 *
 * Return: 0, or a negative errno returned unchanged by the verifier.
 */
typedef int (*verityfs_core_read_tree_fn)(void *ctx, u64 index, void *buf);

/**
 * typedef verityfs_core_mark_fn - a tree block has just been verified
 * @ctx: caller's context
 * @level: its level
 * @index: its block index in the serialized tree
 *
 * The caller may cache the block as trusted from now on.
 */
typedef void (*verityfs_core_mark_fn)(void *ctx, unsigned int level, u64 index);

/**
 * struct verityfs_core_hash_pos - where a data block's hash lives at one level
 * @index: tree block index in the serialized tree
 * @offset: byte offset of the wanted hash inside that block
 */
struct verityfs_core_hash_pos {
	u64 index;
	unsigned int offset;
};

/* geometry.c */

/**
 * verityfs_core_hash_digest_size() - digest size of a hash algorithm
 * @alg: VERITYFS_CORE_HASH_ALG_* number (any u32)
 *
 * Return: 32 or 64, or 0 for an unknown algorithm.
 */
unsigned int verityfs_core_hash_digest_size(u32 alg);

/**
 * verityfs_core_hash_name() - crypto API name of a hash algorithm
 * @alg: VERITYFS_CORE_HASH_ALG_* number
 *
 * Return: "sha256", "sha512", or NULL for an unknown algorithm.
 */
const char *verityfs_core_hash_name(u32 alg);

/**
 * verityfs_core_init_params() - validate and precompute a Merkle tree geometry
 * @p: filled on success (zeroed first on every call)
 * @hash: backend for @hash_alg, or NULL when the caller has none
 * @hash_alg: hash algorithm number, checked as a u32
 * @log_blocksize: log2 of the Merkle block size
 * @salt: salt bytes (may be NULL when @salt_size is 0)
 * @salt_size: salt bytes
 * @data_size: file size in bytes
 *
 * Checks in upstream's order, then hashes the zero-padded salt once and keeps
 * the state in @p->salted_state. Callers with a stricter block-size limit
 * (PAGE_SIZE, the lower fs block size) check it themselves, before or after.
 *
 * Return: 0; -EINVAL for an unknown algorithm, a block size outside
 * 1024..65536, a salt over 32 bytes or a backend that does not match;
 * -ENOPKG if @hash is NULL; -EFBIG if the tree needs more than 8 levels;
 * or an error from the backend.
 */
int verityfs_core_init_params(struct verityfs_core_params *p,
			      const struct verityfs_core_hash *hash, u32 hash_alg,
			      u32 log_blocksize, const u8 *salt, u32 salt_size,
			      u64 data_size);

/**
 * verityfs_core_hash_path() - tree positions of a data block's hashes
 * @p: geometry
 * @data_index: data block index (byte offset >> log_blocksize)
 * @path: out, one entry per level (num_levels entries)
 *
 * Return: 0, or -EINVAL if the block is past the end of the file.
 */
int verityfs_core_hash_path(const struct verityfs_core_params *p, u64 data_index,
			    struct verityfs_core_hash_pos *path);

/* hashing.c */

/**
 * verityfs_core_hash_block() - hash one block with the file's salt prefix
 * @p: geometry (gives the backend and the salted state)
 * @block: block_size bytes
 * @out: digest_size bytes
 *
 * Return: 0 or a backend error.
 */
int verityfs_core_hash_block(const struct verityfs_core_params *p,
			     const void *block, u8 *out);

/**
 * verityfs_core_hash_blocks2() - hash two blocks, 2-way when the backend can
 * @p: geometry
 * @b1: first block
 * @b2: second block
 * @out1: digest of @b1
 * @out2: digest of @b2
 *
 * Return: 0 or a backend error.
 */
int verityfs_core_hash_blocks2(const struct verityfs_core_params *p,
			       const void *b1, const void *b2, u8 *out1, u8 *out2);

/**
 * verityfs_core_hash_buf() - plain (unsalted) hash of a buffer
 * @h: backend
 * @data: bytes
 * @len: byte count
 * @out: digest
 *
 * Return: 0 or a backend error.
 */
int verityfs_core_hash_buf(const struct verityfs_core_hash *h, const void *data,
			   size_t len, u8 *out);

/* build.c */

/**
 * verityfs_core_build_ws_size() - workspace needed by verityfs_core_build_tree()
 * @p: geometry
 * @read_chunk: bytes to request per read callback (rounded to whole blocks,
 *	at least one block; larger chunks mean fewer callbacks)
 *
 * Return: bytes of workspace (the level buffers, the read buffer and a hash
 * state).
 */
size_t verityfs_core_build_ws_size(const struct verityfs_core_params *p,
				   size_t read_chunk);

/**
 * verityfs_core_build_tree() - build the Merkle tree in one pass
 * @p: geometry
 * @read: reads the file's data, in order, in chunks of whole blocks
 * @read_ctx: passed to @read
 * @sink: receives each finished tree block; may be NULL
 * @sink_ctx: passed to @sink
 * @ws: workspace, 8-byte aligned
 * @ws_size: bytes of @ws, at least verityfs_core_build_ws_size()
 * @root_hash: out, digest_size bytes (all zero for an empty file)
 *
 * Return: 0; -EINVAL if @ws is too small; or an error from @read, @sink or
 * the backend.
 */
int verityfs_core_build_tree(const struct verityfs_core_params *p,
			     verityfs_core_read_fn read, void *read_ctx,
			     verityfs_core_sink_fn sink, void *sink_ctx,
			     void *ws, size_t ws_size, u8 *root_hash);

/* descriptor.c */

/**
 * verityfs_core_check_enable_arg() - check a FS_IOC_ENABLE_VERITY argument
 * @arg: the 128-byte struct fsverity_enable_arg as copied from user space
 * @req: out, the fields the rest of enable needs
 *
 * Upstream's early checks, in upstream's order. The hash algorithm and the
 * block-size range are checked later by verityfs_core_init_params().
 *
 * Return: 0; -EINVAL for version != 1, a reserved field set or a block size
 * that is not a power of two; -EMSGSIZE for a salt over 32 bytes or a
 * signature over VERITYFS_CORE_MAX_SIG_SIZE.
 */
int verityfs_core_check_enable_arg(const void *arg,
				   struct verityfs_core_enable_req *req);

/**
 * verityfs_core_desc_encode() - write the 256-byte descriptor
 * @p: geometry
 * @root_hash: digest_size bytes
 * @sig_size: value for the sig_size field (0 for the hashed form)
 * @out: VERITYFS_CORE_DESC_SIZE bytes
 */
void verityfs_core_desc_encode(const struct verityfs_core_params *p,
			       const u8 *root_hash, u32 sig_size, void *out);

/**
 * verityfs_core_desc_parse() - validate a stored descriptor
 * @buf: descriptor plus appended signature
 * @size: bytes in @buf
 * @i_size: current file size
 * @info: out, the parsed fields
 *
 * Checks in upstream's order. The algorithm and block size are checked by
 * verityfs_core_init_params() on @info's fields, as upstream does.
 *
 * Return: 0; -EMSGSIZE if @size exceeds VERITYFS_CORE_MAX_DESC_SIZE; -EINVAL
 * for a short buffer, version != 1, reserved bytes set, salt over 32 bytes,
 * data_size != @i_size or a signature overflowing @buf.
 */
int verityfs_core_desc_parse(const void *buf, size_t size, u64 i_size,
			     struct verityfs_core_desc_info *info);

/**
 * verityfs_core_file_digest() - the fs-verity file digest
 * @h: backend (the descriptor's algorithm)
 * @desc: the 256-byte descriptor; its sig_size field is hashed as zero
 * @out: digest
 *
 * Return: 0 or a backend error.
 */
int verityfs_core_file_digest(const struct verityfs_core_hash *h,
			      const void *desc, u8 *out);

/**
 * verityfs_core_desc_clear_sig_size() - the descriptor as it is hashed
 * @desc: a 256-byte descriptor; its sig_size field is set to zero
 *
 * FS_IOC_READ_VERITY_METADATA returns the descriptor in this form.
 */
void verityfs_core_desc_clear_sig_size(void *desc);

/**
 * verityfs_core_formatted_digest() - the message a builtin signature signs
 * @alg: VERITYFS_CORE_HASH_ALG_*
 * @digest: the file digest
 * @out: at least VERITYFS_CORE_FORMATTED_DIGEST_MAX bytes
 *
 * Return: bytes written (44 or 76), or -EINVAL for an unknown algorithm.
 */
int verityfs_core_formatted_digest(u32 alg, const u8 *digest, u8 *out);

/* verify.c */

/**
 * verityfs_core_verify_tree() - verify a data block's tree path, not the data
 * @p: geometry
 * @root_hash: the descriptor's root hash
 * @data_index: data block index
 * @blocks: as for verityfs_core_verify_path()
 * @nverify: as for verityfs_core_verify_path()
 * @mark: called for each tree block that passed, top down; may be NULL
 * @mark_ctx: passed to @mark
 * @want: out: the data block's digest as the verified tree holds it
 * @fail: out on -EBADMSG, where it failed; may be NULL
 *
 * The first half of verityfs_core_verify_path(): callers that hash data
 * blocks two at a time verify each block's path with this, hash the pair,
 * and compare each digest with verityfs_core_verify_data().
 *
 * Return: 0; -EBADMSG if a tree block does not match; -EINVAL for a block
 * past EOF or @nverify above num_levels; or a backend error.
 */
int verityfs_core_verify_tree(const struct verityfs_core_params *p,
			      const u8 *root_hash, u64 data_index,
			      const void *const *blocks, unsigned int nverify,
			      verityfs_core_mark_fn mark, void *mark_ctx, u8 *want,
			      struct verityfs_core_verify_fail *fail);

/**
 * verityfs_core_verify_data() - compare a data block's digest with the tree's
 * @p: geometry
 * @want: the digest from verityfs_core_verify_tree()
 * @real: the data block's digest
 * @fail: out on -EBADMSG (level -1, both digests); may be NULL
 *
 * Return: 0 or -EBADMSG.
 */
int verityfs_core_verify_data(const struct verityfs_core_params *p,
			      const u8 *want, const u8 *real,
			      struct verityfs_core_verify_fail *fail);

/**
 * verityfs_core_verify_path() - verify one data block given its tree path
 * @p: geometry
 * @root_hash: the descriptor's root hash
 * @data_index: data block index
 * @data: block_size bytes, zero past EOF
 * @blocks: @blocks[l] is the tree block at level l holding the block's hash
 *	(see verityfs_core_hash_path()), for l < min(@nverify + 1, num_levels)
 * @nverify: levels to verify from the bottom; when below num_levels,
 *	@blocks[@nverify] is the caller's already-verified anchor, otherwise the
 *	root hash is
 * @mark: called for each tree block that passed, top down; may be NULL
 * @mark_ctx: passed to @mark
 * @fail: out on -EBADMSG, where it failed; may be NULL
 *
 * Return: 0; -EBADMSG if a tree block or the data does not match; -EINVAL for
 * a block past EOF or @nverify above num_levels; or a backend error.
 */
int verityfs_core_verify_path(const struct verityfs_core_params *p,
			      const u8 *root_hash, u64 data_index, const void *data,
			      const void *const *blocks, unsigned int nverify,
			      verityfs_core_mark_fn mark, void *mark_ctx,
			      struct verityfs_core_verify_fail *fail);

/**
 * verityfs_core_verify_block() - verify one data block, reading the path
 * @p: geometry
 * @root_hash: the descriptor's root hash
 * @data_index: data block index
 * @data: block_size bytes, zero past EOF
 * @read: fetches tree blocks (untrusted contents)
 * @read_ctx: passed to @read
 * @scratch: num_levels * block_size bytes for the path
 * @fail: out on -EBADMSG; may be NULL
 *
 * Verifies the whole path up to the root, trusting nothing cached.
 *
 * Return: as verityfs_core_verify_path(), or an error from @read.
 */
int verityfs_core_verify_block(const struct verityfs_core_params *p,
			       const u8 *root_hash, u64 data_index, const void *data,
			       verityfs_core_read_tree_fn read, void *read_ctx,
			       void *scratch, struct verityfs_core_verify_fail *fail);

#endif /* _VX_VERITYFS_CORE_H */
