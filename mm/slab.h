/*
 * slab.h: fixed-size object caches on whole frames, for the kernel's own
 * small structures (struct mm, struct vma); the guest has no malloc.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stddef.h>
#include <stdint.h>

struct slab_page;

struct slab_cache {
	const char *name;
	uint32_t size;           /* object size, rounded up to 8 */
	uint32_t per_page;       /* objects per frame */
	struct slab_page *partial; /* pages with at least one free object */
	uint64_t pages;          /* frames held */
	uint64_t objects;        /* objects handed out */
};

void slab_cache_init(struct slab_cache *c, const char *name, size_t size);
void *slab_alloc(struct slab_cache *c);
void *slab_alloc_raw(struct slab_cache *c);
void slab_free(struct slab_cache *c, void *obj);

#endif /* MM_SLAB_H */
