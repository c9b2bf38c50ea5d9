/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verityfs compat: shrinkers across three APIs.
 *
 * 6.0 gave register_shrinker() a printf-style name; 6.7 replaced it with
 * core-allocated, RCU-freed shrinkers (shrinker_alloc/register/free). The
 * wrappers below always hand out a struct shrinker * with the caller's
 * private pointer attached, so callers are written once for the 6.7 model.
 *
 * Copyright (C) 2026 The verityfs authors
 */
#ifndef _VX_COMPAT_SHRINKER_H
#define _VX_COMPAT_SHRINKER_H

#include <linux/mm.h>
#include <linux/shrinker.h>
#include <linux/slab.h>

typedef unsigned long (*verityfs_shrink_fn)(struct shrinker *, struct shrink_control *);

#ifdef HAVE_SHRINKER_ALLOC

static inline struct shrinker *
verityfs_compat_shrinker_create(const char *name, verityfs_shrink_fn count,
				verityfs_shrink_fn scan, void *priv)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->private_data = priv;
	shrinker_register(s);
	return s;
}

static inline void *verityfs_compat_shrinker_priv(struct shrinker *s)
{
	return s->private_data;
}

static inline void verityfs_compat_shrinker_destroy(struct shrinker *s)
{
	shrinker_free(s);
}

#else /* before 6.7: the shrinker is ours to allocate */

struct verityfs_compat_shrinker {
	struct shrinker shrinker;
	void *priv;
};

static inline struct shrinker *
verityfs_compat_shrinker_create(const char *name, verityfs_shrink_fn count,
				verityfs_shrink_fn scan, void *priv)
{
	struct verityfs_compat_shrinker *w = kzalloc(sizeof(*w), GFP_KERNEL);

	if (!w)
		return NULL;
	w->shrinker.count_objects = count;
	w->shrinker.scan_objects = scan;
	w->shrinker.seeks = DEFAULT_SEEKS;
	w->priv = priv;
#ifdef HAVE_REGISTER_SHRINKER_FMT
	if (register_shrinker(&w->shrinker, "%s", name)) {
#else
	if (register_shrinker(&w->shrinker)) {
#endif
		kfree(w);
		return NULL;
	}
	return &w->shrinker;
}

static inline void *verityfs_compat_shrinker_priv(struct shrinker *s)
{
	return container_of(s, struct verityfs_compat_shrinker, shrinker)->priv;
}

static inline void verityfs_compat_shrinker_destroy(struct shrinker *s)
{
	unregister_shrinker(s);
	kfree(container_of(s, struct verityfs_compat_shrinker, shrinker));
}

#endif /* HAVE_SHRINKER_ALLOC */

#endif /* _VX_COMPAT_SHRINKER_H */
