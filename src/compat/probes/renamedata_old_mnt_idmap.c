// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.3 replaced renamedata's old/new_mnt_userns with old/new_mnt_idmap.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

void verityfs_probe(struct renamedata *rd);
void verityfs_probe(struct renamedata *rd)
{
	rd->old_mnt_idmap = &nop_mnt_idmap;
	rd->new_mnt_idmap = &nop_mnt_idmap;
	rd->old_dir = NULL;
}
