/*
 * fork.c: copy an address space copy-on-write (mm_fork).
 *
 * The child gets a copy of the parent's VMA set and, for every leaf PTE
 * that holds a frame, a PTE for the same frame; the frame gains one
 * reference and one map count (each mapping PTE holds one of each, see
 * mm.c).  What each kind of PTE becomes, in both address spaces:
 *
 *   private, writable             read-only + PTE_SW_COW in both (the
 *                                 parent's entry loses RW: TLB flush)
 *   private, read-only (COW or    read-only + PTE_SW_COW in both, whatever
 *     not, or PROT_NONE-held)     the VMA's protection now: a later
 *                                 mprotect(PROT_WRITE) must not make a
 *                                 shared frame writable, and mprotect
 *                                 keeps COW PTEs read-only (mmap.c), so
 *                                 only the COW fault ever writes it
 *   zero page (PTE_SW_ZERO)       copied as it is; zero page mapcount++
 *   MAP_SHARED (PTE_SW_SHARED)    copied as it is, writable where it was
 *   PROT_NONE-held (P clear)      as its kind above, still P clear; it
 *                                 was not present, so no flush
 *
 * A and D are kept.  Page-table pages are never shared: the child's
 * tables are its own (pt_copy_range).  The parent's lost write rights
 * are one batch of invalidations: at most one CR3 reload per fork.
 *
 * Out of memory: the child, with every reference it took, is destroyed
 * and NULL returned; nothing leaks.  Parent PTEs already write-protected
 * stay read-only + COW: correct, and their first write finds refcount 1
 * again and just reuses the frame (no copy).
 */
#include <stddef.h>
#include "mm.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "pgtable.h"
#include "vmstat.h"

struct fork_ctx {
	struct mm *child;
	struct vma *v;          /* the parent VMA being copied */
	uint64_t zero_pa;
};

/* pt_copy_fn: one leaf of the parent; see the table above. */
static uint64_t fork_pte(void *arg, uint64_t va, uint64_t pte, uint64_t *dst)
{
	struct fork_ctx *c = arg;
	uint64_t pa = PTE_ADDR(pte);
	struct frame *f = frame_of(pa);

	if (!PTE_HOLDS_FRAME(pte) || f->mapcount == 0)
		env_panic("mm_fork: PTE %lx at %lx, frame map %u", pte, va,
			  f->mapcount);
	if (pte & PTE_SW_ZERO) {
		if (pa != c->zero_pa || (pte & PTE_RW))
			env_panic("mm_fork: ZERO PTE %lx at %lx", pte, va);
		f->mapcount++;
		c->child->nr_zero++;
		*dst = pte;
		return pte;
	}
	if (f->refcount < f->mapcount ||
	    !(pte & PTE_SW_SHARED) != !(c->v->flags & VMA_SHARED))
		env_panic("mm_fork: PTE %lx at %lx in VMA flags %x, frame ref %u map %u",
			  pte, va, c->v->flags, f->refcount, f->mapcount);
	f->refcount++;
	f->mapcount++;
	c->child->rss++;
	if (!(pte & PTE_SW_SHARED))
		pte = (pte & ~PTE_RW) | PTE_SW_COW;
	*dst = pte;
	return pte;
}

/*
 * A new address space that is a copy-on-write copy of parent (see the
 * top of this file): same VMAs, heap, mmap base and stack limit; owner
 * name and pid unset (mm_set_owner).  parent may be the loaded CR3: its
 * TLB is flushed as needed before returning.  Returns the child, or NULL
 * when memory ran out (everything undone, no frame or table leaked).
 */
struct mm *mm_fork(struct mm *parent)
{
	struct pt_flush fl = PT_FLUSH_BATCH(parent->root);
	struct fork_ctx c;
	struct mm *child = mm_create();
	struct vma *v;
	int r = 0;

	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_top = parent->mmap_top;
	child->stack_limit = parent->stack_limit;
	child->trace = parent->trace;
	if (vma_set_copy(&child->vmas, &parent->vmas) < 0)
		goto fail;
	c.child = child;
	c.zero_pa = mm_zero_page();
	for (v = parent->vmas.head; v && !r; v = v->next) {
		c.v = v;
		r = pt_copy_range(&fl, child->root, v->start, v->end, fork_pte, &c);
	}
	pt_flush_finish(&fl);
	if (r)
		goto fail;
	vmstat_inc(VMSTAT_FORK);
	vmstat_add(VMSTAT_FORK_PTES, child->rss + child->nr_zero);
	return child;

fail:
	mm_destroy(child);
	return NULL;
}
