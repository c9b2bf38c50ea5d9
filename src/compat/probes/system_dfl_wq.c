// SPDX-License-Identifier: GPL-2.0-only
/*
 * 6.17 added system_dfl_wq, the unbound default queue, and deprecated
 * system_unbound_wq (Debian's 6.12 has it).
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/workqueue.h>

struct workqueue_struct *verityfs_probe(void);
struct workqueue_struct *verityfs_probe(void)
{
	return system_dfl_wq;
}
