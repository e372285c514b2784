/*
 * slab.h: fixed-size object caches on whole frames, for the kernel's own
 * small structures (struct mm, struct vma); the guest has no malloc.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stddef.h>
#include <stdint.h>

/* The header at the start of each slab frame (slab.c). */
struct slab_free {
	struct slab_free *next;
};

struct slab_page {
	struct slab_page *next, *prev;  /* partial list */
	struct slab_free *free;
	struct slab_cache *cache;
	uint32_t inuse;
	uint32_t pad;
};

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
/* At most how many frames n more objects of size bytes can take from
 * the page allocator (each new slab page holds per_page of them). */
uint64_t slab_frames_for(size_t size, uint64_t n);
void *slab_alloc_raw_slow(struct slab_cache *c);
void slab_free(struct slab_cache *c, void *obj);

/*
 * Can slab_pop take an object from c's first partial page without
 * emptying it?  (Taking a page's last free object, or growing the cache,
 * is slab_alloc_raw_slow's.)
 */
static inline int slab_pop_ready(const struct slab_cache *c)
{
	const struct slab_page *p = c->partial;

	return p && p->inuse + 1 < c->per_page;
}

/* An object from c's first partial page, contents undefined; only when
 * slab_pop_ready(c). */
static inline void *slab_pop(struct slab_cache *c)
{
	struct slab_page *p = c->partial;
	struct slab_free *f = p->free;

	p->free = f->next;
	p->inuse++;
	c->objects++;
	return f;
}

/* Make slab_pop_ready(c) true, growing c by a frame if need be; false
 * when no frame is left. */
int slab_refill(struct slab_cache *c);

/*
 * An object from c with undefined contents, or NULL when no frame is
 * left: for callers that set every field (rmap items, on every fault).
 * Inline for the fault path: a pop from the first partial page, the
 * rest out of line.
 */
static inline void *slab_alloc_raw(struct slab_cache *c)
{
	if (!slab_pop_ready(c))
		return slab_alloc_raw_slow(c);
	return slab_pop(c);
}

#endif /* MM_SLAB_H */
