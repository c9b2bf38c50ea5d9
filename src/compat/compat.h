/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs: the compat layer's entry point, force-included by Kbuild.
 *
 * Only this directory knows kernel versions. Feature probes (probes/, run by
 * scripts/run-probes.sh) decide almost everything; version numbers appear
 * only for the supported range. Area headers with the wrappers are included
 * from here as they are added.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_COMPAT_H
#define _VX_COMPAT_COMPAT_H

#include <linux/version.h>

#include "compat_autoconf.h"

#ifndef HAVE_SANITY
#error "compat_autoconf.h is not from a successful probe run (scripts/run-probes.sh)"
#endif

/* The oldest kernel verityfs supports is 5.10 LTS (Debian bullseye). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "verityfs needs Linux 5.10 or later"
#endif

#include "shmem.h"
#include "shrinker.h"
#include "idmap.h"
#include "vfs.h"
#include "namei.h"
#include "mmap.h"
#include "pagemap.h"
#include "notify.h"
#include "workqueue.h"
#include "crypto.h"
#include "kverity.h"

#endif /* _VX_COMPAT_COMPAT_H */
