/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs core: the one place that knows whether the core is built into the
 * kernel module or into the host library.
 *
 * The core's files include only <verityfs/...> headers, and only this one
 * includes anything else, so the Merkle code reads as kernel C in both
 * places: u8..u64, __le64, cpu_to_le*(), memcpy()/memset()/memcmp(),
 * memchr_inv(), static_assert(), negative errno values. The host branch
 * supplies what libc lacks with the kernel's meaning.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_VERITYFS_CORE_ENV_H
#define _VX_VERITYFS_CORE_ENV_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/build_bug.h>
#include <asm/byteorder.h>

#else /* !__KERNEL__: the host library (unit tests, fuzzers, benchmarks) */

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint16_t __le16;
typedef uint32_t __le32;
typedef uint64_t __le64;

#ifndef __cplusplus
#ifndef __bool_true_false_are_defined
typedef _Bool bool;
#define true 1
#define false 0
#endif
#endif

/*
 * The host library only runs on little-endian machines today; a big-endian
 * host fails to build here rather than silently producing wrong digests.
 */
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "verityfs host core: little-endian host required"
#endif
#define cpu_to_le16(x) ((__le16)(x))
#define cpu_to_le32(x) ((__le32)(x))
#define cpu_to_le64(x) ((__le64)(x))
#define le16_to_cpu(x) ((u16)(x))
#define le32_to_cpu(x) ((u32)(x))
#define le64_to_cpu(x) ((u64)(x))

#ifndef ENOPKG
#define ENOPKG 65
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The kernel's memchr_inv(): the first byte of @s that is not @c, or NULL. */
static inline void *memchr_inv(const void *s, int c, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; n; n--, p++)
		if (*p != (unsigned char)c)
			return (void *)p;
	return NULL;
}

/* The kernel's static_assert(): the message is optional. */
#ifndef static_assert
#define static_assert(expr, ...) __vx_static_assert(expr, ##__VA_ARGS__, #expr)
#define __vx_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

#endif /* __KERNEL__ */

#endif /* _VX_VERITYFS_CORE_ENV_H */
