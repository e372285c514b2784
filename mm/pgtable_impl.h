/*
 * pgtable_impl.h: page-table internals shared by pgtable.c (map, unmap,
 * protect, walk) and the walkers that need entry-level access for speed
 * (fork.c copies two trees in one walk, rmap.c and region.c).  Private to
 * mm/: nothing outside it includes this header.
 */
#ifndef MM_PGTABLE_IMPL_H
#define MM_PGTABLE_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include "env.h"
#include "frame.h"
#include "pgtable.h"
#include "vmstat.h"

static inline uint64_t *table_of(uint64_t pa)
{
	return frame_p2v(pa);
}

void pt_flush_note(struct pt_flush *fl, uint64_t va, bool leaf);
uint64_t pt_table_flags(uint64_t va);
bool pt_release_if_empty(struct pt_flush *fl, uint64_t va, uint64_t *pe);
uint64_t *pt_walk_alloc_slow(uint64_t root, uint64_t va);

/* A table entry the fast walk can follow: present, not a large page. */
static inline bool pt_entry_is_table(uint64_t e)
{
	return (e & (PTE_P | PTE_PS)) == PTE_P;
}

/*
 * The PT entry for the 4 KiB page va when all its tables exist, else NULL
 * (a missing table, va inside a large page, or a shared leaf table:
 * ptshare.h).  Inline and unrolled
 * because every fault walks; the entry may be empty.
 */
_Static_assert(PT_LEVELS == 4, "pt_walk_fast walks four levels");

/* The PD entry for va when its PDPT and PD exist, else NULL; the entry
 * may be empty.  (ptshare.c reads and changes PD entries.) */
static inline uint64_t *pt_pd_entry(uint64_t root, uint64_t va)
{
	uint64_t e;

	e = table_of(root)[PX(3, va)];
	if (!pt_entry_is_table(e))
		return NULL;
	e = table_of(PTE_ADDR(e))[PX(2, va)];
	if (!pt_entry_is_table(e))
		return NULL;
	return &table_of(PTE_ADDR(e))[PX(1, va)];
}

static inline uint64_t *pt_walk_fast(uint64_t root, uint64_t va)
{
	uint64_t *pde = pt_pd_entry(root, va);

	if (!pde || !pt_entry_is_table(*pde) || (*pde & PDE_SW_PTSHARED))
		return NULL;    /* shared leaf tables are not written */
	return &table_of(PTE_ADDR(*pde))[PX(0, va)];
}

/* Write *ptep = new (a leaf entry, or a table entry when !leaf), keep the
 * table's entry count, and apply THE TLB RULE (pgtable.h).  Returns the
 * old value. */
static inline uint64_t pt_set(struct pt_flush *fl, uint64_t va, uint64_t *ptep,
			       uint64_t new, bool leaf)
{
	uint64_t old = *ptep;

	*ptep = new;
	if (!old && new)
		frame_of_known(frame_v2p(ptep))->count++;
	else if (old && !new)
		frame_of_known(frame_v2p(ptep))->count--;
	if (pte_needs_flush(old, new)) {
		if (fl->defer_all)
			fl->pending_all = true;    /* pt_flush_note's first case */
		else
			pt_flush_note(fl, va, leaf);
	}
	return old;
}

/* Forget pt_walk_alloc's leaf table: every path that frees a page table
 * calls it, so the cache never points at a freed or reused frame. */
static inline void pt_leaf_forget(void)
{
	pt_leaf_cache.root = PT_LEAF_NONE;
}

#endif /* MM_PGTABLE_IMPL_H */
