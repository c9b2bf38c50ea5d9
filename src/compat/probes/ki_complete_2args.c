// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.16 dropped the third argument (res2) of kiocb.ki_complete.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/build_bug.h>
#include <linux/fs.h>

void verityfs_probe(struct kiocb *iocb);
void verityfs_probe(struct kiocb *iocb)
{
	BUILD_BUG_ON(!__same_type(iocb->ki_complete, void (*)(struct kiocb *, long)));
}
