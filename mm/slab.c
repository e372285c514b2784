/*
 * slab.c: fixed-size objects carved out of single frames.
 *
 * Each frame starts with a struct slab_page header followed by per_page
 * objects.  Free objects of a page are threaded on that page's own list;
 * pages with free objects sit on the cache's doubly linked partial list.
 * A page whose last object is freed goes straight back to the frame
 * allocator, so an idle system holds no slab frames (the leak check
 * "every frame back on the free lists" stays exact).  Objects are zeroed
 * by slab_alloc.
 */
#include "slab.h"
#include "env.h"
#include "frame.h"
#include "pte.h"

#define SLAB_HDR ((sizeof(struct slab_page) + 15) & ~15UL)

/* Prepare cache c for objects of size bytes (at most a page minus the
 * header; a broken size is a programming error and panics). */
void slab_cache_init(struct slab_cache *c, const char *name, size_t size)
{
	size = (size + 7) & ~7UL;
	if (size < sizeof(struct slab_free))
		size = sizeof(struct slab_free);
	if (size > PAGE_SIZE - SLAB_HDR)
		env_panic("slab_cache_init: %s objects of %lu bytes too big",
			  name, (unsigned long)size);
	c->name = name;
	c->size = (uint32_t)size;
	c->per_page = (uint32_t)((PAGE_SIZE - SLAB_HDR) / size);
	c->partial = NULL;
	c->pages = c->objects = 0;
}

static void partial_remove(struct slab_cache *c, struct slab_page *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		c->partial = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
}

static void partial_push(struct slab_cache *c, struct slab_page *p)
{
	p->prev = NULL;
	p->next = c->partial;
	if (c->partial)
		c->partial->prev = p;
	c->partial = p;
}

static struct slab_page *slab_grow(struct slab_cache *c)
{
	uint64_t pa = frame_alloc(0, FRAME_KERNEL);
	struct slab_page *p;
	char *obj;
	uint32_t k;

	if (!pa)
		return NULL;
	p = frame_p2v(pa);
	p->cache = c;
	p->inuse = 0;
	p->free = NULL;
	obj = (char *)p + SLAB_HDR + (uint64_t)(c->per_page - 1) * c->size;
	for (k = 0; k < c->per_page; k++, obj -= c->size) {
		struct slab_free *f = (struct slab_free *)obj;

		f->next = p->free;
		p->free = f;
	}
	partial_push(c, p);
	c->pages++;
	return p;
}

/* slab_alloc_raw (slab.h) in full: also when the first partial page
 * gives its last free object (it leaves the partial list) or there is
 * none (the cache grows by a frame). */
void *slab_alloc_raw_slow(struct slab_cache *c)
{
	struct slab_page *p = c->partial;
	struct slab_free *f;

	if (!p && !(p = slab_grow(c)))
		return NULL;
	f = p->free;
	p->free = f->next;
	if (++p->inuse == c->per_page)
		partial_remove(c, p);
	c->objects++;
	return f;
}

int slab_refill(struct slab_cache *c)
{
	return slab_pop_ready(c) || slab_grow(c);
}

/* The fast path (slab_pop_ready) never takes a page's last object and
 * slab_refill grows the cache instead, so a new page may serve only
 * per - 1 objects; one more page for the partial one in use. */
uint64_t slab_frames_for(size_t size, uint64_t n)
{
	uint64_t per = (PAGE_SIZE - SLAB_HDR) / ((size + 7) & ~(size_t)7);

	return per > 1 ? (n + per - 2) / (per - 1) + 1 : n + 1;
}

/* A zeroed object from c, or NULL when no frame is left. */
void *slab_alloc(struct slab_cache *c)
{
	void *obj = slab_alloc_raw_slow(c);

	if (obj)
		__builtin_memset(obj, 0, c->size);
	return obj;
}

/* Return obj (from slab_alloc on the same cache) to c. */
void slab_free(struct slab_cache *c, void *obj)
{
	struct slab_page *p = (struct slab_page *)((uint64_t)obj & ~PG_MASK);
	struct slab_free *f = obj;

	if (p->cache != c || p->inuse == 0)
		env_panic("slab_free: %lx is not a live %s object",
			  (uint64_t)obj, c->name);
	f->next = p->free;
	p->free = f;
	if (p->inuse-- == c->per_page)
		partial_push(c, p);
	c->objects--;
	if (p->inuse == 0) {
		partial_remove(c, p);
		c->pages--;
		frame_free(frame_v2p(p));
	}
}
