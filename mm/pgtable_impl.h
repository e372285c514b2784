/*
 * pgtable_impl.h: page-table internals shared by pgtable.c (map, unmap,
 * protect, walk) and the walkers that need entry-level access for speed
 * (fork.c copies two trees in one walk).  THE TLB RULE lives here.
 * Private to mm/: nothing outside it includes this header.
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
 * (a missing table, or va inside a large page).  Inline and unrolled
 * because every fault walks; the entry may be empty.
 */
_Static_assert(PT_LEVELS == 4, "pt_walk_fast walks four levels");
static inline uint64_t *pt_walk_fast(uint64_t root, uint64_t va)
{
	uint64_t e;

	e = table_of(root)[PX(3, va)];
	if (!pt_entry_is_table(e))
		return NULL;
	e = table_of(PTE_ADDR(e))[PX(2, va)];
	if (!pt_entry_is_table(e))
		return NULL;
	e = table_of(PTE_ADDR(e))[PX(1, va)];
	if (!pt_entry_is_table(e))
		return NULL;
	return &table_of(PTE_ADDR(e))[PX(0, va)];
}

/*
 * The PT entry for the 4 KiB page va, allocating missing tables (the
 * fault path: one walk).  NULL when no frame is left for a table, or when
 * va is inside a large page.  The entry may be empty; fill it with
 * pt_install or pt_update.
 */
static inline uint64_t *pt_walk_alloc(uint64_t root, uint64_t va)
{
	uint64_t *ptep = pt_walk_fast(root, va);

	return ptep ? ptep : pt_walk_alloc_slow(root, va);
}

/*
 * The leaf table (PT) the fault path walked to last, by root and 2 MiB
 * region, so that the next fault in that region skips the walk (a
 * process touching its memory faults page after page in one region).
 * It is forgotten whenever any page table is freed (pt_leaf_forget in
 * every path that frees one, and at mm_init), so it never points at a
 * freed or reused frame; a table is freed only once it is empty or its
 * whole tree goes, and nothing else relinks a table entry.
 */
struct pt_leaf_cache {
	uint64_t root;          /* PT_LEAF_NONE: nothing cached */
	uint64_t region;        /* va >> PT_SHIFT(1) */
	uint64_t *table;        /* the PT, in the direct map */
	struct frame *frame;    /* its descriptor (entry count) */
};
#define PT_LEAF_NONE (~0ULL)    /* no root: roots are page aligned */
extern struct pt_leaf_cache pt_leaf_cache;

/* Is va's leaf table under root the cached one?  Then its entry for va
 * is pt_leaf_entry(va). */
static inline bool pt_leaf_hit(uint64_t root, uint64_t va)
{
	return pt_leaf_cache.root == root &&
	       pt_leaf_cache.region == va >> PT_SHIFT(1);
}

static inline uint64_t *pt_leaf_entry(uint64_t va)
{
	return &pt_leaf_cache.table[PX(0, va)];
}

/* Remember ptep, the 4 KiB PT entry for va under root, for
 * pt_leaf_cached. */
static inline void pt_leaf_remember(uint64_t root, uint64_t va,
				    uint64_t *ptep)
{
	pt_leaf_cache.root = root;
	pt_leaf_cache.region = va >> PT_SHIFT(1);
	pt_leaf_cache.table = ptep - PX(0, va);
	pt_leaf_cache.frame = frame_of_known(frame_v2p(ptep));
}

static inline void pt_leaf_forget(void)
{
	pt_leaf_cache.root = PT_LEAF_NONE;
}

/*
 * Fill the empty leaf entry *ptep (from pt_walk_alloc) with pte: the
 * fault path's case of the TLB rule, where no invalidation is owed.  Only
 * keeps the table's entry count.  A non-empty entry panics (use
 * pt_update).
 */
static inline void pt_install(uint64_t *ptep, uint64_t pte)
{
	if (*ptep)
		env_panic("pt_install: entry %lx not empty", *ptep);
	*ptep = pte;
	frame_of_known(frame_v2p(ptep))->count++;
}

/*
 * THE TLB RULE.  The TLB and the paging-structure caches only ever hold
 * translations of entries that were present.  So:
 *  - filling a not-present entry needs no invalidation;
 *  - raising rights (setting RW, clearing NX) needs none either: a stale,
 *    weaker TLB entry can only cause a spurious #PF, and a #PF makes the
 *    CPU drop that entry (the fault handler treats it as spurious);
 *  - anything else on a present entry can leave a stale, stronger or
 *    wrong translation and must be invalidated before the caller returns:
 *    clearing P, changing the frame, clearing RW/US/A/D, setting NX,
 *    changing PS/PWT/PCD/G.  This holds at every level: an intermediate
 *    entry that is cleared before its table is freed is flushed too.
 * pte_needs_flush encodes it.  pt_set writes entries; the fault path's
 * pt_install (an empty entry) and pt_update_leaf (present to present)
 * apply the same rule to their one case, inline.
 */
#define PTE_FLUSH_IF_CLEARED (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define PTE_FLUSH_IF_CHANGED (PTE_PS | PTE_PWT | PTE_PCD | PTE_G)

static inline bool pte_needs_flush(uint64_t old, uint64_t new)
{
	if (!(old & PTE_P))
		return false;
	return PTE_ADDR(old) != PTE_ADDR(new) ||
	       (old & ~new & PTE_FLUSH_IF_CLEARED) ||
	       (new & ~old & PTE_NX) ||
	       ((old ^ new) & PTE_FLUSH_IF_CHANGED);
}

/* Write *ptep = new (a leaf entry, or a table entry when !leaf), keep the
 * table's entry count, and apply the TLB rule.  Returns the old value. */
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

/* pt_install for an entry of the cached leaf table, whose descriptor is
 * at hand: the fault handlers' case (mm_fault's fast path found ptep
 * there, and fault_slow puts ptep's table there before dispatching). */
static inline void pt_install_leaf(uint64_t *ptep, uint64_t pte)
{
	if (*ptep)
		env_panic("pt_install: entry %lx not empty", *ptep);
	*ptep = pte;
	pt_leaf_cache.frame->count++;
}

/* Invalidate the page va under root now (the fault path's INVLPG).
 * Inline: the COW copy and the write after zero each owe one. */
static inline void pt_flush_page(uint64_t root, uint64_t va)
{
	env_tlb_flush_page(root, PG_ROUND_DOWN(va));
	vmstat_inc(VMSTAT_TLB_FLUSH_PAGE);
}

/*
 * pt_update for a leaf entry that is present before and after (the fault
 * handlers' write after zero and COW): no entry count changes, and the
 * TLB rule's one INVLPG, when owed (a new frame, not a reuse), is issued
 * before it returns.  Inline because every such fault takes it.
 */
static inline void pt_update_leaf(uint64_t root, uint64_t va, uint64_t *ptep,
				  uint64_t pte)
{
	uint64_t old = *ptep;

	if (!(old & PTE_P) || !(pte & PTE_P))
		env_panic("pt_update_leaf: %lx -> %lx at %lx", old, pte, va);
	*ptep = pte;
	if (pte_needs_flush(old, pte))
		pt_flush_page(root, va);
}

/*
 * pt_update_leaf for the fault path's fast cases that give a present
 * leaf entry a new frame (write after zero, COW copy): by the TLB rule a
 * new frame always owes the INVLPG, issued before it returns.  The caller
 * knows the entry is present (mm_fault tested it).
 */
static inline void pt_replace_leaf_frame(uint64_t root, uint64_t va,
					 uint64_t *ptep, uint64_t pte)
{
	*ptep = pte;
	pt_flush_page(root, va);
}

#endif /* MM_PGTABLE_IMPL_H */
