/*
 * ptshare.h: leaf page tables shared between address spaces after fork
 * (mm_fork), unshared on the first change under them.  The design is at
 * the top of ptshare.c.
 *
 * CONTRACT.  A table reached through a PD entry carrying PDE_SW_PTSHARED
 * (pte.h) is never written by the kernel: every path that would change
 * an entry under one calls mm_unshare_range (or the fault path's
 * ptshare_unshare_at) for its range first, and the page-table layer
 * refuses to write through such an entry (pgtable.c panics; the fault
 * walk returns no slot).  Readers walk through it as through any table.
 */
#ifndef MM_PTSHARE_H
#define MM_PTSHARE_H

#include <stdbool.h>
#include <stdint.h>
#include "pgtable.h"
#include "rmap.h"

struct mm;

/* Share leaf tables at fork (boot option ptshare=, default on). */
extern bool ptshare_enabled;

/* Is the PD entry e a present entry for a shared leaf table? */
static inline bool pde_is_shared(uint64_t e)
{
	return (e & (PTE_P | PTE_PS | PDE_SW_PTSHARED)) ==
	       (PTE_P | PDE_SW_PTSHARED);
}

/*
 * fork.c: make the child's empty PD entry *cde share the parent's leaf
 * table at *pde (covering va): the parent's entry loses RW (owed to fl)
 * and both carry PDE_SW_PTSHARED.  0, or -MM_ENOMEM with nothing changed.
 */
int ptshare_share(struct mm *parent, uint64_t *pde, struct mm *child,
		  uint64_t *cde, uint64_t va, struct pt_flush *fl);

/*
 * Before changing PTEs of mm in [start, end): give mm a private copy of
 * every shared leaf table there, or, when dropping (the range's pages are
 * about to be unmapped) and a table lies wholly inside the range, just
 * drop mm's share of it.  0, or -MM_ENOMEM with no share dropped (the
 * copies made so far stay: unsharing changes no mapping, only where its
 * PTEs live).
 */
int mm_unshare_range(struct mm *mm, uint64_t start, uint64_t end,
		     bool dropping);

/* The fault path's unshare of va's leaf table: 1 when it was shared and
 * now is mm's own, 0 when it was not shared, -MM_ENOMEM. */
int ptshare_unshare_at(struct mm *mm, uint64_t va);

/* Before a frame's mappings are zapped from outside their mms (shmem
 * truncation): every mm that maps the frame at pa through a shared table
 * gets its own.  0 or -MM_ENOMEM (unsharing changes no mapping). */
int ptshare_unshare_frame(uint64_t pa);

/* mm_destroy: drop every share mm holds (never allocates). */
void ptshare_detach_all(struct mm *mm);

/* The sharer whose rmap items and counts stand for the leaf table that
 * the shared PD entry pde points at (see ptshare.c). */
struct mm *ptshare_key(uint64_t pde);

/* How many address-space mappings the frame at pa has: its mapcount
 * (PTEs), plus, for a PTE in a shared leaf table, one per other sharer
 * (what /proc's PSS and pagemap's exclusive bit count). */
uint32_t ptshare_map_count(uint64_t pa);

/* rmap.c: fn(arg, m, va) for every address space m that maps the PTE
 * an rmap item (mm, va) names: mm itself, or every sharer of its table. */
int ptshare_each_mapper(struct mm *mm, uint64_t va, mm_rmap_fn fn, void *arg);

/* rmap_check.c: is the leaf table at pa (with sharer items) consistent:
 * at least two sharers, refcount their number, each live and pointing
 * at it through a read-only, marked PD entry?  NULL, or what is wrong. */
const char *ptshare_check_table(uint64_t pa);

/* fork.c, for the unshare: copy the leaf table src (covering base's
 * 2 MiB, no MAP_SHARED entries) into a new table for dst at its empty PD
 * entry *dpde, as fork copies one.  0, or -MM_ENOMEM with a partial copy
 * linked at *dpde (the caller zaps it). */
int fork_copy_table(struct mm *dst, uint64_t *src, uint64_t *dpde,
		    uint64_t base, struct pt_flush *fl);

#endif /* MM_PTSHARE_H */
