/*
 * rmap.c: reverse mapping.
 *
 * DESIGN.  Every frame that user PTEs map (FRAME_ANON, FRAME_FILE) has a
 * singly linked list of rmap items, one per mapping PTE, each naming the
 * address space and the page address: exactly the frame's mapcount of
 * them.  The list head lives in the frame descriptor, in the union with
 * the free-list links (an allocated frame is on no free list), so the
 * descriptor stays 24 bytes.  Items (24 bytes) come from a slab cache.
 *
 *   struct frame F ── rmap ──> [mm A, va x] ──> [mm B, va x] ──> [mm C, va y]
 *
 * Why per-PTE items and not Linux's anon_vma/address_space objects: they
 * are exact by construction (no VMA walk and no "maybe maps it" answer),
 * independent of VMA splits and merges (region copy maps a frame at a
 * different address in another mm, mremap-like cases need nothing
 * special), and an address space here maps a few hundred frames, not
 * millions.  The cost is one slab object per mapping PTE: allocated by
 * every path that makes a PTE map a frame (faults, fork, region copy),
 * moved, without allocation, from the old frame to the new one by a COW
 * copy, and freed by mm_zap_range (munmap, madvise, exit).  A COW reuse
 * and mprotect keep frame and address: nothing to do.  Removal walks the
 * frame's list (its mapcount: 1 to a few for anonymous memory, the
 * number of processes for shared text).
 *
 * Under a leaf table shared since a fork (ptshare.c) one PTE maps the
 * frame for every sharer: its one item names the table's key sharer,
 * and mm_rmap_walk names every sharer.
 *
 * The zero page is not tracked (its mapcount is every private read in
 * the system and nobody asks who maps it), like Linux.
 *
 * Allocation comes first: a path allocates its item before it changes
 * any PTE, so running out of memory leaves nothing half done.
 *
 * An item's mm is only a key here; the check that every mapcount matches
 * every page table (which walks every mm) is rmap_check.c's.
 */
#include <stddef.h>
#include "rmap.h"
#include "ptshare.h"
#include "slab.h"

struct slab_cache rmap_cache;

/* Reset the item cache (mm_init). */
void rmap_init(void)
{
	slab_cache_init(&rmap_cache, "rmap", sizeof(struct rmap_item));
}

void rmap_free(struct rmap_item *it)
{
	slab_free(&rmap_cache, it);
}


void rmap_remove(struct frame *f, struct mm *mm, uint64_t va)
{
	rmap_free(rmap_unlink(f, mm, va));
}

int mm_rmap_walk(uint64_t pa, mm_rmap_fn fn, void *arg)
{
	struct rmap_item *it, *next;
	int r;

	for (it = frame_of(pa)->rmap; it; it = next) {
		next = it->next;
		r = ptshare_each_mapper(it->mm, it->va, fn, arg);
		if (r)
			return r;
	}
	return 0;
}

/* Number of rmap items of the frame at pa (its mapcount when exact). */
uint32_t mm_rmap_count(uint64_t pa)
{
	const struct rmap_item *it;
	uint32_t n = 0;

	for (it = frame_of(pa)->rmap; it; it = it->next)
		n++;
	return n;
}
