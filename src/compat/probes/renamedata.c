// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.12 made vfs_rename() take a struct renamedata; Debian backported it to
 * 5.10 in its later 5.10 ABIs (5.10.0-30 still has the six-argument form).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fs.h>

int verityfs_probe(struct renamedata *rd);
int verityfs_probe(struct renamedata *rd)
{
	return vfs_rename(rd);
}
