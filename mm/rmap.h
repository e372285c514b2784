/*
 * rmap.h: reverse mapping, from a frame to the (address space, address)
 * pairs whose PTEs map it.  The design is at the top of rmap.c.
 */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "frame.h"
#include "slab.h"

struct mm;

struct rmap_item {
	struct rmap_item *next;  /* next mapping of the same frame */
	struct mm *mm;
	uint64_t va;             /* page address in mm */
};

extern struct slab_cache rmap_cache;   /* the items; rmap.c owns it */

void rmap_init(void);

/* An unlinked item, or NULL when out of memory.  Not zeroed: rmap_link
 * sets every field.  Inline: every fault that maps a frame takes one. */
static inline struct rmap_item *rmap_alloc(void)
{
	return slab_alloc_raw(&rmap_cache);
}

void rmap_free(struct rmap_item *it);

/* For the fault path: can rmap_take give an item without a call?  Make
 * it so (false: no frame left). */
static inline bool rmap_at_hand(void)
{
	return slab_pop_ready(&rmap_cache);
}

static inline bool rmap_refill(void)
{
	return slab_refill(&rmap_cache);
}

/* An unlinked item, only when rmap_at_hand(). */
static inline struct rmap_item *rmap_take(void)
{
	return slab_pop(&rmap_cache);
}
_Noreturn void rmap_unlink_missing(struct frame *f, struct mm *mm,
				   uint64_t va);

/* Take the item (mm, va) off f's list and return it; panics when f has
 * none.  Inline for the COW copy, which moves the item to the new frame
 * (f's list is its mapcount long: the faulter is usually first or
 * second). */
static inline struct rmap_item *rmap_unlink(struct frame *f, struct mm *mm,
					    uint64_t va)
{
	struct rmap_item **pp, *it;

	for (pp = &f->rmap; (it = *pp); pp = &it->next) {
		if (it->mm == mm && it->va == va) {
			*pp = it->next;
			return it;
		}
	}
	rmap_unlink_missing(f, mm, va);
}
void rmap_remove(struct frame *f, struct mm *mm, uint64_t va);

/* Record that (mm, va) maps frame f, with an item from rmap_alloc. */
static inline void rmap_link(struct rmap_item *it, struct frame *f,
			     struct mm *mm, uint64_t va)
{
	it->mm = mm;
	it->va = va;
	it->next = f->rmap;
	f->rmap = it;
}

/*
 * "Who maps frame F": fn is called once per address space and address
 * mapping the frame at pa (the zero page is not tracked: every private
 * read maps it): once per PTE, and for a PTE in a leaf table shared
 * after fork once per sharer (ptshare.c).  A non-zero return stops the walk
 * and is returned; fn must not map or unmap pa.  Returns 0 otherwise.
 */
typedef int (*mm_rmap_fn)(void *arg, struct mm *mm, uint64_t va);
int mm_rmap_walk(uint64_t pa, mm_rmap_fn fn, void *arg);
uint32_t mm_rmap_count(uint64_t pa);
bool mm_rmap_check(char *why, size_t len);

#endif /* MM_RMAP_H */
