/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: work queue flags and the system queues.
 *
 * Kernels with WQ_PERCPU are moving alloc_workqueue()'s default from
 * per-CPU to unbound and WARN when a queue names neither WQ_PERCPU nor
 * WQ_UNBOUND (7.x). Before WQ_PERCPU existed, per-CPU was the default, so
 * the flag is 0 there. The same change renamed the unbound system queue
 * system_dfl_wq and made 7.x log a deprecation for work queued on
 * system_unbound_wq; before it, system_unbound_wq is the same queue.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_WORKQUEUE_H
#define _VX_COMPAT_WORKQUEUE_H

#include <linux/workqueue.h>

#ifndef HAVE_WQ_PERCPU
#define WQ_PERCPU	0
#endif

#ifndef HAVE_SYSTEM_DFL_WQ
#define system_dfl_wq	system_unbound_wq
#endif

#endif /* _VX_COMPAT_WORKQUEUE_H */
