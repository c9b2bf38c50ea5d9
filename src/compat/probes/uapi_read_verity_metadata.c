// SPDX-License-Identifier: GPL-2.0-only
/*
 * 5.12 added FS_IOC_READ_VERITY_METADATA to <linux/fsverity.h>; 5.10's
 * headers lack it.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#include <linux/fsverity.h>

unsigned int verityfs_probe = FS_IOC_READ_VERITY_METADATA;
