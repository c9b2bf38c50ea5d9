// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.12 added old/new_mnt_userns to struct renamedata (Debian 5.10 has the
 * struct without them).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

void verityfs_probe(struct renamedata *rd);
void verityfs_probe(struct renamedata *rd)
{
	rd->old_mnt_userns = &init_user_ns;
	rd->new_mnt_userns = &init_user_ns;
}
