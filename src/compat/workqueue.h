/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: work queue flags.
 *
 * Kernels with WQ_PERCPU are moving alloc_workqueue()'s default from
 * per-CPU to unbound and WARN when a queue names neither WQ_PERCPU nor
 * WQ_UNBOUND (7.x). Before WQ_PERCPU existed, per-CPU was the default, so
 * the flag is 0 there.
 */
#ifndef _VX_COMPAT_WORKQUEUE_H
#define _VX_COMPAT_WORKQUEUE_H

#include <linux/workqueue.h>

#ifndef HAVE_WQ_PERCPU
#define WQ_PERCPU	0
#endif

#endif /* _VX_COMPAT_WORKQUEUE_H */
