/*
 * pgtable.h: x86-64 4-level page tables: map, unmap, protect, walk, and
 * THE TLB RULE, the one place where PTE changes meet TLB invalidation.
 * The fault path's walk and fill (pt_walk_alloc, pt_install,
 * pt_update_leaf) are inline, below.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "env.h"
#include "frame.h"
#include "pte.h"
#include "vmstat.h"

/*
 * Invalidations owed to one root by an operation (see THE TLB RULE in
 * pgtable.c); the fields are pgtable.c's.  Most operations keep one on
 * their stack; one that spans several ranges (fork: one per VMA)
 * starts it with PT_FLUSH_BATCH, so everything it owes is one CR3
 * reload, and settles it with pt_flush_finish before returning.
 */
struct pt_flush {
	uint64_t root;
	bool defer_all;      /* range too big: one full flush at the end */
	bool pending_all;
	bool pending_page;
	uint64_t page;       /* va owed an INVLPG when pending_page */
};
#define PT_FLUSH_BATCH(r) ((struct pt_flush){ .root = (r), .defer_all = true })
void pt_flush_finish(struct pt_flush *fl);

void pt_set_kernel_root(uint64_t root_pa);
uint64_t pt_kernel_root(void);
uint64_t pt_alloc_root(void);
void pt_destroy(uint64_t root);

int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
int pt_map_large(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags);
uint64_t pt_unmap(uint64_t root, uint64_t va);
/* Move the leaf PTE of from, whatever it holds, to the empty slot of to
 * (tables allocated as needed), and flush from.  1 when a PTE moved, 0
 * when from had none, -MM_ENOMEM / -MM_EEXIST with nothing changed. */
int pt_move(uint64_t root, uint64_t from, uint64_t to);
int pt_protect(uint64_t root, uint64_t va, uint64_t set, uint64_t clear);
uint64_t *pt_walk(uint64_t root, uint64_t va, int *level);
/* The value of va's 4 KiB leaf PTE, 0 when a table is missing (or va is
 * in a large page: none in user space). */
uint64_t pt_leaf_pte(uint64_t root, uint64_t va);
uint64_t pt_update(uint64_t root, uint64_t va, uint64_t *ptep, uint64_t pte);

/*
 * Called for every non-zero leaf PTE in a range; returns the new PTE
 * value (0 unmaps; the callback then owns releasing the old frame).
 */
typedef uint64_t (*pt_apply_fn)(void *arg, uint64_t va, uint64_t pte);
void pt_apply_range(uint64_t root, uint64_t start, uint64_t end,
		    pt_apply_fn fn, void *arg);

/* Read only: fn(arg, va, pte) for every non-zero leaf PTE of [start,
 * end), skipping absent subtrees; nothing is written or flushed. */
typedef void (*pt_read_fn)(void *arg, uint64_t va, uint64_t pte);
void pt_read_range(uint64_t root, uint64_t start, uint64_t end,
		   pt_read_fn fn, void *arg);

/* Pages above which a range operation does one full flush instead of
 * one INVLPG per page (a CR3 reload costs about one INVLPG here). */
#define PT_FLUSH_ALL_PAGES 32

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
 * pte_needs_flush encodes it; every entry write (pt_set in pgtable.c,
 * pt_install and pt_update_leaf below) goes through it or, for an empty
 * entry, needs nothing.
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

/*
 * The fault path's walk and fill, inline because every fault takes them.
 *
 * pt_walk_alloc keeps the leaf table (PT) it walked to last, by root and
 * 2 MiB region, so that the next walk in that region is two compares (a
 * process touching its memory faults page after page in one region).
 * The cache is forgotten whenever any page table is freed (every path
 * that frees one, and mm_init), so it never points at a freed or reused
 * frame; a table is freed only once it is empty or its whole tree goes,
 * and nothing else relinks a table entry.
 */
struct pt_leaf_cache {
	uint64_t root;          /* PT_LEAF_NONE: nothing cached */
	uint64_t region;        /* va >> PT_SHIFT(1) */
	uint64_t *table;        /* the PT, in the direct map */
	struct frame *frame;    /* its descriptor */
};

/* A leaf entry and its table's descriptor, whose entry count pt_install
 * keeps (found by the walk, so an install needs no lookup). */
struct pt_slot {
	uint64_t *pte;          /* NULL: no slot */
	struct frame *table;
};
#define PT_LEAF_NONE (~0ULL)    /* no root: roots are page aligned */
extern struct pt_leaf_cache pt_leaf_cache;

struct pt_slot pt_walk_alloc_miss(uint64_t root, uint64_t va);

/* Is va's leaf table under root the one pt_walk_alloc walked to last?
 * Then pt_leaf_slot(va) is its slot. */
static inline bool pt_leaf_hit(uint64_t root, uint64_t va)
{
	return pt_leaf_cache.root == root &&
	       pt_leaf_cache.region == va >> PT_SHIFT(1);
}

static inline struct pt_slot pt_leaf_slot(uint64_t va)
{
	return (struct pt_slot){ &pt_leaf_cache.table[PX(0, va)],
				 pt_leaf_cache.frame };
}

/*
 * The slot of the 4 KiB page va under root, allocating missing tables;
 * its leaf table is remembered (pt_leaf_hit).  slot.pte is NULL when no
 * frame is left for a table, or when va is inside a large page.  The
 * entry may be empty; fill it with pt_install, change a present one with
 * pt_update_leaf or pt_update.
 */
static inline struct pt_slot pt_walk_alloc(uint64_t root, uint64_t va)
{
	if (pt_leaf_hit(root, va))
		return pt_leaf_slot(va);
	return pt_walk_alloc_miss(root, va);
}

/*
 * Fill the empty leaf entry of slot s (from pt_walk_alloc) with pte: by
 * the TLB rule no invalidation is owed.  Keeps the table's entry count.
 * A non-empty entry panics (use pt_update_leaf).
 */
static inline void pt_install(struct pt_slot s, uint64_t pte)
{
	if (*s.pte)
		env_panic("pt_install: entry %lx not empty", *s.pte);
	*s.pte = pte;
	s.table->count++;
}

/* Invalidate the page va under root now (INVLPG). */
static inline void pt_flush_page(uint64_t root, uint64_t va)
{
	env_tlb_flush_page(root, PG_ROUND_DOWN(va));
	vmstat_inc(VMSTAT_TLB_FLUSH_PAGE);
}

/*
 * Raise the rights of the present leaf entry *ptep: set bits among RW,
 * A and D, and clear software bits in sw_clear (a COW reuse: set RW,
 * clear PTE_SW_COW).  Nothing is taken away, so by the TLB rule no
 * invalidation is owed.  Other bits in set or sw_clear panic (decided at
 * build time when they are constants, as in the fault path).
 */
static inline void pt_raise_leaf(uint64_t *ptep, uint64_t set,
				 uint64_t sw_clear)
{
	if ((set & ~(PTE_RW | PTE_A | PTE_D)) || (sw_clear & ~PTE_SW_MASK))
		env_panic("pt_raise_leaf: set %lx clear %lx is not a raise",
			  set, sw_clear);
	*ptep = (*ptep & ~sw_clear) | set;
}

/*
 * Give the present leaf entry *ptep for va a new frame, one just taken
 * from the allocator, in a present pte (a write after zero, a COW copy,
 * which build pte from the VMA's flags): by the TLB rule a
 * new frame always owes the INVLPG, issued before it returns.  No entry
 * count changes.
 */
static inline void pt_replace_leaf(uint64_t root, uint64_t va, uint64_t *ptep,
				   uint64_t pte)
{
	if (!(*ptep & PTE_P))
		env_panic("pt_replace_leaf: %lx -> %lx at %lx", *ptep, pte, va);
	*ptep = pte;
	pt_flush_page(root, va);
}

/*
 * Change the leaf entry *ptep for va, present before and after (a write
 * after zero, a COW copy), to pte: no entry count changes, and
 * the TLB rule's INVLPG, when owed (a new frame, not a reuse), is issued
 * before it returns.
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

#endif /* MM_PGTABLE_H */
