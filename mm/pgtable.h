/*
 * pgtable.h: x86-64 4-level page tables: map, unmap, protect, walk, and
 * the one place where PTE changes meet TLB invalidation (pt_update).
 * The fault path's walk and fill (pt_walk_alloc, pt_install) are inline,
 * in pgtable_impl.h.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>
#include "pte.h"

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
int pt_protect(uint64_t root, uint64_t va, uint64_t set, uint64_t clear);
uint64_t *pt_walk(uint64_t root, uint64_t va, int *level);
uint64_t pt_update(uint64_t root, uint64_t va, uint64_t *ptep, uint64_t pte);

/*
 * Called for every non-zero leaf PTE in a range; returns the new PTE
 * value (0 unmaps; the callback then owns releasing the old frame).
 */
typedef uint64_t (*pt_apply_fn)(void *arg, uint64_t va, uint64_t pte);
void pt_apply_range(uint64_t root, uint64_t start, uint64_t end,
		    pt_apply_fn fn, void *arg);

/* Pages above which a range operation does one full flush instead of
 * one INVLPG per page (a CR3 reload costs about one INVLPG here). */
#define PT_FLUSH_ALL_PAGES 32

#endif /* MM_PGTABLE_H */
