// SPDX-License-Identifier: GPL-2.0-only
/*
 * WQ_PERCPU came with the move of the default work queue to unbound (6.17;
 * Debian's 6.12 has it).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/workqueue.h>

int verityfs_probe(void);
int verityfs_probe(void)
{
	return WQ_PERCPU;
}
