/*
 * vma.c: the sorted VMA set of an address space.
 *
 * A doubly linked list sorted by address, plus a one-entry cache of the
 * last VMA found.  Why not a tree: a process here has a handful to a few
 * dozen VMAs; walking ten nodes costs fewer (emulated) kernel instructions
 * than any balanced-tree bookkeeping, and the cache makes the common case,
 * consecutive faults in the same VMA, a single comparison.  Neighbours
 * for split and merge are one pointer away.  If VMA counts ever reach the
 * hundreds, swap this file for an interval tree behind the same API.
 *
 * VMA objects come from a slab cache.  Operations never touch page
 * tables: callers (mmap.c, fault.c) keep the tables consistent.
 */
#include <stddef.h>
#include "vma.h"
#include "env.h"
#include "errno.h"
#include "pagecache.h"
#include "slab.h"

static struct slab_cache vma_cache;

/* Reset the VMA object cache (mm_init; before any vma_alloc). */
void vma_init(void)
{
	slab_cache_init(&vma_cache, "vma", sizeof(struct vma));
}

void vma_set_init(struct vma_set *s)
{
	s->head = s->cache = NULL;
	s->count = 0;
}

/* A new, unlinked VMA (anonymous unless the caller sets file, giving
 * it a reference that vma_free drops), or NULL when no memory is left. */
struct vma *vma_alloc(uint64_t start, uint64_t end, uint32_t prot,
		      uint32_t flags)
{
	struct vma *v;

	v = slab_alloc(&vma_cache);
	if (!v)
		return NULL;
	v->start = start;
	v->end = end;
	v->flags = flags;
	vma_set_prot(v, prot);
	return v;
}

/* Free an unlinked VMA, dropping its file reference. */
void vma_free(struct vma *v)
{
	if (v->file)
		mm_file_put(v->file);
	slab_free(&vma_cache, v);
}

/* vma_find (vma.h) when the cached VMA does not contain addr: walk the
 * list, and cache what is found. */
struct vma *vma_find_slow(struct vma_set *s, uint64_t addr)
{
	struct vma *v;

	for (v = s->head; v && v->start <= addr; v = v->next) {
		if (addr < v->end) {
			s->cache = v;
			return v;
		}
	}
	return NULL;
}

/* The first VMA ending above addr (containing it or wholly above), or
 * NULL. */
struct vma *vma_find_next(struct vma_set *s, uint64_t addr)
{
	struct vma *v;

	for (v = s->head; v; v = v->next)
		if (v->end > addr)
			return v;
	return NULL;
}

/* Link v into s in address order.  Returns 0, or -MM_EEXIST if it
 * overlaps a VMA already there (v stays unlinked). */
int vma_insert(struct vma_set *s, struct vma *v)
{
	struct vma *prev = NULL, *next = s->head;

	if (v->start >= v->end || !PG_ALIGNED(v->start | v->end))
		env_panic("vma_insert: bad range %lx-%lx", v->start, v->end);
	while (next && next->start < v->end) {
		if (next->end > v->start)
			return -MM_EEXIST;
		prev = next;
		next = next->next;
	}
	v->prev = prev;
	v->next = next;
	if (prev)
		prev->next = v;
	else
		s->head = v;
	if (next)
		next->prev = v;
	s->count++;
	return 0;
}

/* Unlink v from s (the caller frees it). */
void vma_remove(struct vma_set *s, struct vma *v)
{
	if (v->prev)
		v->prev->next = v->next;
	else
		s->head = v->next;
	if (v->next)
		v->next->prev = v->prev;
	if (s->cache == v)
		s->cache = NULL;
	v->prev = v->next = NULL;
	s->count--;
}

/*
 * Cut v at addr (page aligned, strictly inside): v keeps [start, addr),
 * a new VMA with the same attributes takes [addr, end) (and a reference
 * to v's file) and is linked after it.  Returns the new VMA, or NULL
 * (nothing changed) when out of memory.
 */
struct vma *vma_split(struct vma_set *s, struct vma *v, uint64_t addr)
{
	struct vma *n;

	if (addr <= v->start || addr >= v->end || !PG_ALIGNED(addr))
		env_panic("vma_split: %lx not inside %lx-%lx", addr, v->start,
			  v->end);
	n = vma_alloc(addr, v->end, v->prot, v->flags);
	if (!n)
		return NULL;
	n->file = v->file;
	if (n->file)
		mm_file_get(n->file);
	n->offset = v->offset + (addr - v->start);
	v->end = addr;
	n->prev = v;
	n->next = v->next;
	if (v->next)
		v->next->prev = n;
	v->next = n;
	s->count++;
	return n;
}

/*
 * Append to the empty set dst a copy of every VMA of src, in order, with
 * the same range, protection, flags, file (one more reference each) and
 * offset (fork).  Returns 0,
 * or -MM_ENOMEM when a VMA could not be allocated: dst then holds a copy
 * of a prefix of src, which the caller frees with the rest of its mm.
 */
int vma_set_copy(struct vma_set *dst, const struct vma_set *src)
{
	struct vma *v, *n, *tail = NULL;

	if (dst->head)
		env_panic("vma_set_copy: destination not empty");
	for (v = src->head; v; v = v->next) {
		n = vma_alloc(v->start, v->end, v->prot, v->flags);
		if (!n)
			return -MM_ENOMEM;
		n->file = v->file;
		if (n->file)
			mm_file_get(n->file);
		n->offset = v->offset;
		n->prev = tail;
		n->next = NULL;
		if (tail)
			tail->next = n;
		else
			dst->head = n;
		tail = n;
		dst->count++;
	}
	return 0;
}

/* a immediately followed by b with identical attributes (and, for files,
 * contiguous offsets): one VMA could describe both. */
bool vma_can_merge(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot &&
	       a->flags == b->flags && a->file == b->file &&
	       (!(a->flags & VMA_FILE) ||
		a->offset + (a->end - a->start) == b->offset);
}

/* Merge v with its neighbours where vma_can_merge allows; absorbed VMAs
 * are freed.  Returns the VMA that now covers v's range. */
struct vma *vma_merge(struct vma_set *s, struct vma *v)
{
	struct vma *n = v->next, *p = v->prev;

	if (n && vma_can_merge(v, n)) {
		v->end = n->end;
		vma_remove(s, n);
		vma_free(n);
	}
	if (p && vma_can_merge(p, v)) {
		p->end = v->end;
		vma_remove(s, v);
		vma_free(v);
		v = p;
	}
	return v;
}

/*
 * Top-down placement: the highest start such that [start, start + len)
 * lies in [low, high) and overlaps no VMA.  Returns it, or 0 when no gap
 * is big enough.
 */
uint64_t vma_gap_topdown(struct vma_set *s, uint64_t len, uint64_t low,
			 uint64_t high)
{
	struct vma *v, *last = NULL;
	uint64_t top;

	for (v = s->head; v && v->start < high; v = v->next)
		last = v;
	/* walk down the gaps, highest first */
	top = high;
	for (v = last;; v = v->prev) {
		uint64_t floor = v && v->end > low ? v->end : low;

		if (top >= floor && top - floor >= len)
			return top - len;
		if (!v)
			return 0;
		if (v->start < top)
			top = v->start;
		if (top < low + len)
			return 0;
	}
}
