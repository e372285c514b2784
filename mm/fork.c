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
 *
 * Shared anonymous memory has no object behind it (no shmem yet): its
 * pages exist only as frames mapped by the processes sharing it.  So a
 * page neither side has touched must exist before the fork, or parent
 * and child would each fault in a private one: fork first faults in
 * every page of each readable MAP_SHARED|MAP_ANONYMOUS VMA (reads give
 * fresh zeroed frames, not the zero page).  The cost is memory for
 * untouched shared pages; a PROT_NONE shared VMA is not filled (its
 * untouched pages would diverge if made accessible later).
 *   PROT_NONE-held (P clear)      as its kind above, still P clear; it
 *                                 was not present, so no flush
 *
 * Every child PTE holding a frame (zero page aside) gets its rmap item
 * (rmap.c), allocated before the PTE is written.
 *
 * A and D are kept.  The parent's lost write rights are one batch of
 * invalidations: at most one CR3 reload per fork.
 *
 * Leaf tables are shared, not copied (ptshare.c), unless ptshare=0:
 * where the parent has a leaf table and no MAP_SHARED VMA meets its
 * 2 MiB, the child's PD entry points at the parent's table, both
 * read-only and marked, and none of the above happens to its PTEs until
 * a sharer changes one; then ptshare.c makes that sharer its copy with
 * copy_leaves, the same per-PTE copy as here.  A table that is already
 * shared is shared once more, whatever the VMAs: nothing under it can be
 * a MAP_SHARED page (a fault in one would have unshared it).
 *
 * Both trees are walked together, VMA by VMA, skipping absent subtrees
 * of the parent: a child table is allocated when the walk enters the
 * parent's matching table (a leaf table only when a leaf is found in
 * the range; a PD or PDPT when the parent has one there with entries:
 * it may end up empty if those entries lie outside every VMA range, or
 * are PTs emptied by a failed fault, and stays until mm_destroy; it is
 * not freed at once because the next VMA often fills it), so a page costs one entry read, two entry writes and the
 * frame's counts, never a walk from the root and no indirect call (the
 * kernel's instructions are emulated: PLATFORM.md).
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
#include "mmap.h"
#include "pgtable.h"
#include "pgtable_impl.h"
#include "ptshare.h"
#include "rmap.h"
#include "vmstat.h"

struct fork_ctx {
	struct pt_flush *fl;    /* the parent's invalidations */
	struct mm *parent, *child;
	bool share;             /* ptshare_enabled */
	uint64_t shared;        /* PTE_SW_SHARED if the VMA is MAP_SHARED */
	uint64_t zero_pa;
};

/* A cleared table for the child's empty entry *e (for va); NULL when out
 * of memory. */
static uint64_t *child_table(uint64_t *e, uint64_t va)
{
	uint64_t pa = frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED);

	if (!pa)
		return NULL;
	vmstat_inc(VMSTAT_PT_ALLOC);
	*e = pa | pt_table_flags(va);   /* was empty: nothing to flush */
	frame_of(frame_v2p(e))->count++;
	return table_of(pa);
}

static _Noreturn void bad_pte(struct fork_ctx *c, uint64_t va, uint64_t pte)
{
	struct frame *f = frame_of(PTE_ADDR(pte));

	env_panic("mm_fork: PTE %lx at %lx (shared %lx), frame %s ref %u map %u",
		  pte, va, c->shared, frame_state_name(f->state), f->refcount,
		  f->mapcount);
}

/*
 * The leaves of [start, end) inside one parent PT s; de is the child's
 * PD entry for it (its PT is allocated at the first leaf).  Each leaf
 * becomes what the table at the top of this file says.
 */
static int copy_leaves(struct fork_ctx *c, uint64_t *s, uint64_t *de,
		       uint64_t start, uint64_t end)
{
	uint64_t base = start & ~(PT_LEVEL_SIZE(1) - 1);
	uint64_t i = PX(0, start), last = i + ((end - start) >> PAGE_SHIFT);
	uint64_t *d = (*de & PTE_P) ? table_of(PTE_ADDR(*de)) : NULL;
	uint64_t n = 0;
	struct frame *f;

	for (; i < last; i++) {
		uint64_t pte = s[i], va;
		struct rmap_item *it = NULL;

		if (!pte)
			continue;
		va = base | (i << PAGE_SHIFT);
		if (PTE_ADDR(pte) != c->zero_pa && !(it = rmap_alloc()))
			break;
		if (!d) {
			d = child_table(de, va);
			if (!d) {
				if (it)
					rmap_free(it);
				break;
			}
		}
		f = frame_of(PTE_ADDR(pte));
		if (!PTE_HOLDS_FRAME(pte) || !f->mapcount || d[i])
			bad_pte(c, va, pte);
		if (pte & PTE_SW_ZERO) {
			if (PTE_ADDR(pte) != c->zero_pa || (pte & PTE_RW))
				bad_pte(c, va, pte);
			c->child->nr_zero++;
		} else {
			if (f->refcount < f->mapcount || !it ||
			    (pte & PTE_SW_SHARED) != c->shared)
				bad_pte(c, va, pte);
			rmap_link(it, f, c->child, va);
			f->refcount++;
			c->child->rss++;
			if (!c->shared) {
				uint64_t cow = (pte & ~PTE_RW) | PTE_SW_COW;

				if (cow != pte)
					pt_set(c->fl, va, &s[i], cow, true);
				pte = cow;
			}
		}
		f->mapcount++;
		d[i] = pte;
		n++;
	}
	if (d)
		frame_of(frame_v2p(d))->count += n;
	return i < last ? -MM_ENOMEM : 0;
}

/*
 * May the leaf table at the parent's PD entry se, for the 2 MiB at va,
 * be shared rather than copied?  Not when a MAP_SHARED VMA meets it: its
 * writable PTE_SW_SHARED entries must stay writable.
 */
static bool table_shareable(struct fork_ctx *c, uint64_t se, uint64_t va)
{
	uint64_t base = va & ~(PT_LEVEL_SIZE(1) - 1);
	const struct vma *v;

	if (!c->share || pde_is_shared(se))
		return c->share;
	if (!frame_of(PTE_ADDR(se))->count)
		return false;   /* empty: copy_leaves makes nothing */
	for (v = vma_find_next(&c->parent->vmas, base);
	     v && v->start < base + PT_LEVEL_SIZE(1); v = v->next)
		if (v->flags & VMA_SHARED)
			return false;
	return true;
}

/* Copy [start, end) below the parent's table s at level (> 0) into the
 * child's table d.  0 or -MM_ENOMEM (stopped; done leaves are kept). */
static int copy_level(struct fork_ctx *c, uint64_t *s, uint64_t *d, int level,
		      uint64_t start, uint64_t end)
{
	uint64_t va, next;
	int r;

	for (va = start; va < end; va = next) {
		uint64_t se = s[PX(level, va)], *de = &d[PX(level, va)];

		next = (va | (PT_LEVEL_SIZE(level) - 1)) + 1;
		if (next > end)
			next = end;
		if (!(se & PTE_P))
			continue;
		if (se & PTE_PS)
			env_panic("mm_fork: large page at %lx", va);
		if (level == 1 && pde_is_shared(*de)) {
			continue;       /* shared whole by an earlier VMA */
		} else if (level == 1 && table_shareable(c, se, va)) {
			r = ptshare_share(c->parent, &s[PX(1, va)], c->child, de,
					  va, c->fl);
		} else if (level == 1) {
			r = copy_leaves(c, table_of(PTE_ADDR(se)), de, va, next);
		} else {
			if (!frame_of(PTE_ADDR(se))->count)
				continue;       /* left empty by a failed fault */
			if (!(*de & PTE_P) && !child_table(de, va))
				return -MM_ENOMEM;
			r = copy_level(c, table_of(PTE_ADDR(se)),
				       table_of(PTE_ADDR(*de)), level - 1, va, next);
		}
		if (r)
			return r;
	}
	return 0;
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
	struct mm *child = mm_create();
	struct fork_ctx c;
	struct vma *v;
	int r = 0;

	if (!child)
		return NULL;
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_top = parent->mmap_top;
	child->stack_limit = parent->stack_limit;
	child->as_limit = parent->as_limit;
	child->trace = parent->trace;
	if (vma_set_copy(&child->vmas, &parent->vmas) < 0)
		goto fail;
	for (v = parent->vmas.head; v && !r; v = v->next)
		if ((v->flags & (VMA_SHARED | VMA_FILE)) == VMA_SHARED &&
		    (v->prot & VMA_READ))
			r = mm_populate(parent, v->start, v->end, false);
	if (r)
		goto fail;
	c.fl = &fl;
	c.parent = parent;
	c.child = child;
	c.share = ptshare_enabled;
	c.zero_pa = mm_zero_page();
	for (v = parent->vmas.head; v && !r; v = v->next) {
		c.shared = (v->flags & VMA_SHARED) ? PTE_SW_SHARED : 0;
		r = copy_level(&c, table_of(parent->root), table_of(child->root),
			       PT_LEVELS - 1, v->start, v->end);
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

int fork_copy_table(struct mm *dst, uint64_t *src, uint64_t *dpde,
		    uint64_t base, struct pt_flush *fl)
{
	struct fork_ctx c = {
		.fl = fl, .child = dst, .shared = 0, .zero_pa = mm_zero_page(),
	};

	return copy_leaves(&c, src, dpde, base, base + PT_LEVEL_SIZE(1));
}
