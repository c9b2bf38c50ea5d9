// SPDX-License-Identifier: GPL-2.0-only
/*
 * verityfs: builtin signatures, the .verityfs keyring and the signature policy.
 *
 * A verity file may carry a PKCS#7 signature (DER, detached) over upstream's
 * struct fsverity_formatted_digest, exactly what `fsverity sign` makes. When
 * one is present it is always verified, at enable and whenever the file's
 * verity state is loaded; whether one is required is policy, decided per
 * mount (see docs/signatures.md):
 *
 *   required = module parameter require_signatures || mount option require_signatures
 *
 * The signer's certificate must be in the .verityfs keyring, which this module
 * owns and creates at load; root adds X.509 certificates to it with keyctl.
 * The kernel's own .fs-verity keyring and fs.verity sysctls belong to the
 * in-kernel fs-verity and are never touched. With trust_system_keyrings=1 a
 * signer not found in .verityfs is also looked up in the kernel's builtin and
 * secondary trusted keyrings.
 *
 * The restrict_link_by_* helpers are not exported, so the keyring is created
 * unrestricted; root may lock it with `keyctl restrict_keyring`.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/cred.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/verification.h>

#include "verityfs.h"

#define KEYRING_NAME ".verityfs"

static bool require_signatures;
module_param(require_signatures, bool, 0644);
MODULE_PARM_DESC(require_signatures,
		 "Every verity file of every verityfs mount must carry a valid signature (default 0; a mount can require them with -o require_signatures)");

static bool trust_system_keyrings;
module_param(trust_system_keyrings, bool, 0644);
MODULE_PARM_DESC(trust_system_keyrings,
		 "Also accept signers in the kernel's builtin and secondary trusted keyrings (default 0)");

static struct key *verityfs_keyring;

/**
 * verityfs_sig_required() - must verity files of this mount be signed?
 * @sb: the super block of the file
 *
 * The module parameter is a floor for every mount; the mount option can only
 * add the requirement. Both are read at each check, so a change applies to
 * the next enable and the next load of a file's verity state.
 *
 * Return: true when an unsigned verity file must be refused.
 */
bool verityfs_sig_required(const struct super_block *sb)
{
	/* The load-time self-test builds states on shmem inodes: no policy there. */
	if (!verityfs_sb_is_ours(sb))
		return false;
	return READ_ONCE(require_signatures) || READ_ONCE(VERITYFS_SB(sb)->require_sigs);
}

static bool keyring_is_empty(const struct key *keyring)
{
	/* Unlocked: a key added or removed meanwhile only moves the race. */
	return !READ_ONCE(keyring->keys.nr_leaves_on_tree);
}

static void log_refusal(const struct inode *inode, int err, u32 hash_alg, const u8 *digest)
{
	const char *alg = hash_alg == VERITYFS_CORE_HASH_ALG_SHA512 ? "sha512" : "sha256";
	const char *why;

	switch (err) {
	case -ENOKEY:
		why = "its signer's certificate is not in the " KEYRING_NAME " keyring";
		break;
	case -EKEYREJECTED:
		why = "it does not match the file digest";
		break;
	case -EBADMSG:
		why = "it is not a well-formed PKCS#7 message";
		break;
	case -ENOPKG:
		why = "its algorithms are not available";
		break;
	default:
		why = "verification failed";
		break;
	}
	verityfs_err(inode, "signature refused (%pe): %s; file digest %s:%*phN", ERR_PTR(err), why,
		     alg, (int)verityfs_core_hash_digest_size(hash_alg), digest);
}

/**
 * verityfs_sig_check() - apply the signature policy to a verity file
 * @inode: the file's upper inode (names the mount whose policy applies)
 * @hash_alg: FS_VERITY_HASH_ALG_* of the file
 * @file_digest: the file digest, of the size @hash_alg gives
 * @sig: the DER PKCS#7 signature stored with the descriptor
 * @sig_size: bytes of @sig, 0 for an unsigned file
 *
 * The one place where a signature is judged, at enable and at every load.
 * Upstream's order: a missing but required signature first, then an empty
 * keyring (refused before the PKCS#7 parser ever sees the bytes, since any
 * user with write access can hand it a signature), then verification. Every
 * refusal is logged once (rate-limited).
 *
 * Return: 0 (unsigned and not required, or a valid signature); -EPERM
 * (required and missing); -ENOKEY (empty keyring, or signer unknown);
 * -EKEYREJECTED (signature not over this file's digest); -EBADMSG (malformed
 * PKCS#7); -ENOPKG, -ENOMEM or another verify_pkcs7_signature() error.
 */
int verityfs_sig_check(const struct inode *inode, u32 hash_alg, const u8 *file_digest,
		       const u8 *sig, u32 sig_size)
{
	u8 msg[VERITYFS_CORE_FORMATTED_DIGEST_MAX];
	bool trust_system = READ_ONCE(trust_system_keyrings);
	bool empty = keyring_is_empty(verityfs_keyring);
	int msg_size, err;

	if (!sig_size) {
		if (!verityfs_sig_required(inode->i_sb))
			return 0;
		verityfs_err(inode, "unsigned verity file refused: signatures are required");
		verityfs_count_sig_failure(inode->i_sb);
		return -EPERM;
	}
	msg_size = verityfs_core_formatted_digest(hash_alg, file_digest, msg);
	if (msg_size < 0)
		return msg_size;
	if (empty && !trust_system) {
		verityfs_err(inode, "signature refused: the " KEYRING_NAME " keyring is empty");
		verityfs_count_sig_failure(inode->i_sb);
		return -ENOKEY;
	}
	err = -ENOKEY;
	if (!empty)
		err = verify_pkcs7_signature(msg, msg_size, sig, sig_size, verityfs_keyring,
					     VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
	if (err == -ENOKEY && trust_system)
		err = verify_pkcs7_signature(msg, msg_size, sig, sig_size,
					     VERIFY_USE_SECONDARY_KEYRING,
					     VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
	if (err) {
		log_refusal(inode, err, hash_alg, file_digest);
		verityfs_count_sig_failure(inode->i_sb);
	}
	return err;
}

/**
 * verityfs_sig_init() - create the .verityfs keyring
 *
 * Owned by root, not charged to any quota, linked into no other keyring;
 * keyctl finds it by name in /proc/keys (%keyring:.verityfs). Only root (uid
 * 0) may view, read, add to, clear or restrict it.
 *
 * Return: 0, or the error of keyring_alloc().
 */
int verityfs_sig_init(void)
{
	struct key *keyring;

	keyring = keyring_alloc(KEYRING_NAME, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID, current_cred(),
				KEY_POS_SEARCH | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_WRITE |
				KEY_USR_SEARCH | KEY_USR_SETATTR,
				KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
	if (IS_ERR(keyring))
		return PTR_ERR(keyring);
	verityfs_keyring = keyring;
	return 0;
}

/**
 * verityfs_sig_exit() - drop the .verityfs keyring and the keys it holds
 */
void verityfs_sig_exit(void)
{
	/* Invalidate first: the next load's keyring must be the only one found by name. */
	key_invalidate(verityfs_keyring);
	key_put(verityfs_keyring);
	verityfs_keyring = NULL;
}
