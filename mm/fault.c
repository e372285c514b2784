/*
 * fault.c: the page-fault handler.  mm_fault classifies the fault and
 * hands it to one small handler per path; each handler checks the
 * refcount invariants it relies on and returns the outcome.
 *
 *   no VMA, not just below a stack      -> SEGV_MAPERR
 *   just below a grows-down VMA         -> fault_stack_grow, then as below
 *   access the VMA's prot forbids       -> SEGV_ACCERR
 *   not present, shared anonymous       -> fault_shared_anon
 *   not present, file, past EOF         -> SIGBUS
 *   not present, file, private, write   -> fault_file_copy
 *   not present, file                   -> fault_file (page-cache frame)
 *   not present, private, write         -> fault_demand_zero
 *   not present, private, read/fetch    -> fault_zero_read
 *   present, write, PTE_SW_ZERO         -> fault_write_after_zero
 *   present, write, PTE_SW_COW          -> fault_cow (copy, or reuse)
 *   present and already allowed         -> spurious
 */
#include <stddef.h>
#include "fault.h"
#include "env.h"
#include "frame.h"
#include "frame_impl.h"
#include "pagecache.h"
#include "pgtable.h"
#include "pgtable_impl.h"
#include "rmap.h"
#include "vmstat.h"

static const char *const outcome_names[MM_FAULT_NR] = {
	[MM_FAULT_ZERO_READ] = "zero_read",
	[MM_FAULT_DEMAND_ZERO] = "demand_zero",
	[MM_FAULT_WRITE_AFTER_ZERO] = "write_after_zero",
	[MM_FAULT_STACK_GROW] = "stack_grow",
	[MM_FAULT_SHARED_ANON] = "shared_anon",
	[MM_FAULT_SPURIOUS] = "spurious",
	[MM_FAULT_COW_COPY] = "cow_copy",
	[MM_FAULT_COW_REUSE] = "cow_reuse",
	[MM_FAULT_FILE] = "file",
	[MM_FAULT_FILE_COPY] = "file_copy",
	[MM_FAULT_OOM] = "oom",
	[MM_FAULT_SEGV_MAPERR] = "segv_maperr",
	[MM_FAULT_SEGV_ACCERR] = "segv_accerr",
	[MM_FAULT_SIGBUS] = "sigbus",
};

const char *mm_fault_outcome_name(enum mm_fault_outcome o)
{
	return (unsigned)o < MM_FAULT_NR ? outcome_names[o] : "?";
}

/* A fresh anonymous frame for the new mapping (mm, va), contents per
 * zero: refcount 1 (the mapping's), mapcount 1, its rmap item linked.
 * 0 when out of memory (nothing taken). */
static inline __attribute__((always_inline)) uint64_t
take_user_frame(struct mm *mm, uint64_t va, enum frame_zero zero)
{
	uint64_t pa = frame_alloc_page(FRAME_ANON, zero);
	struct rmap_item *it;
	struct frame *f;

	/* the frame first: the most recently freed frame is the one a
	 * fault hands out (the policy tests rely on that LIFO order) */
	if (!pa)
		return 0;
	it = rmap_alloc();
	if (!it) {
		frame_put(pa);
		return 0;
	}
	/* frame_alloc_page has just set refcount 1, mapcount 0, no rmap */
	f = frame_of_known(pa);
	f->mapcount = 1;
	rmap_link(it, f, mm, va);
	return pa;
}

/* Not-present read in a private anonymous VMA: share the zero page.
 * Inline in mm_fault's fast path (the commonest fault). */
static inline __attribute__((always_inline)) enum mm_fault_outcome
fault_zero_read(struct mm *mm, struct vma *v, uint64_t *ptep)
{
	uint64_t zpa = mm_zero_page();
	uint64_t flags = vma_pte_flags_ro_private(v) | PTE_SW_ZERO | PTE_A;
	struct frame *z = mm_zero_frame;

	if (z->state != FRAME_ZERO || z->refcount != 1 || (flags & PTE_RW))
		env_panic("fault_zero_read: zero page %lx state %u ref %u flags %lx",
			  zpa, z->state, z->refcount, flags);
	pt_install_leaf(ptep, zpa | flags);
	z->mapcount++;
	mm->nr_zero++;
	vmstat_inc(VMSTAT_FAULT_ZERO_READ);
	return MM_FAULT_ZERO_READ;
}

/* Not-present write in a private anonymous VMA: a fresh frame. */
static inline __attribute__((always_inline)) enum mm_fault_outcome
fault_demand_zero(struct mm *mm, struct vma *v, uint64_t va, uint64_t *ptep)
{
	uint64_t pa = take_user_frame(mm, va, FRAME_ZEROED_POLICY);

	if (!pa)
		return MM_FAULT_OOM;
	pt_install_leaf(ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_DEMAND_ZERO);
	return MM_FAULT_DEMAND_ZERO;
}

/* Write to a page that maps the zero page in a writable private VMA:
 * replace it by a fresh frame (no copy: the old content is zeros). */
static inline __attribute__((always_inline)) enum mm_fault_outcome
fault_write_after_zero(struct mm *mm, struct vma *v, uint64_t va,
		       uint64_t *ptep)
{
	uint64_t zpa = mm_zero_page(), pa;
	struct frame *z = frame_of(zpa);

	if (PTE_ADDR(*ptep) != zpa || z->mapcount == 0)
		env_panic("fault_write_after_zero: PTE %lx at %lx, zero %lx map %u",
			  *ptep, va, zpa, z->mapcount);
	pa = take_user_frame(mm, va, FRAME_ZEROED_POLICY);
	if (!pa)
		return MM_FAULT_OOM;
	pt_update_leaf(mm->root, va, ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	z->mapcount--;
	mm->nr_zero--;
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_WRITE_AFTER_ZERO);
	return MM_FAULT_WRITE_AFTER_ZERO;
}

/* Any access to a not-present page of a MAP_SHARED|MAP_ANONYMOUS VMA:
 * its own frame at once (the zero page would break sharing later). */
static enum mm_fault_outcome fault_shared_anon(struct mm *mm, struct vma *v,
					       uint64_t va, uint64_t err,
					       uint64_t *ptep)
{
	uint64_t pa = take_user_frame(mm, va, FRAME_ZEROED_POLICY);

	if (!pa)
		return MM_FAULT_OOM;
	pt_install_leaf(ptep, pa | vma_pte_flags(v) | PTE_A |
		   ((err & PF_ERR_W) ? PTE_D : 0));
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_SHARED_ANON);
	return MM_FAULT_SHARED_ANON;
}

/*
 * Write to a read-only PTE_SW_COW page of a writable private VMA (fork
 * shared it).  Each mapping PTE holds one reference, so refcount 1 means
 * this PTE is the last user: make it writable in place (Linux's reuse;
 * only for anonymous frames: a page-cache frame also has the cache's
 * reference).  Otherwise copy the page into a fresh frame (not cleared:
 * the copy overwrites all of it), map that writable, move this PTE's
 * rmap item to it, and give this PTE's reference and map count back to
 * the old frame, which is freed if that was the last one.
 */
static inline __attribute__((always_inline)) enum mm_fault_outcome
fault_cow(struct mm *mm, struct vma *v, uint64_t va, uint64_t *ptep)
{
	uint64_t pte = *ptep, old = PTE_ADDR(pte), pa;
	struct frame *f = frame_of(old);

	if (f->refcount == 0 || f->mapcount == 0 || f->mapcount > f->refcount ||
	    (pte & (PTE_SW_ZERO | PTE_SW_SHARED)) || (v->flags & VMA_SHARED) ||
	    (f->state != FRAME_ANON && f->state != FRAME_FILE))
		env_panic("fault_cow: PTE %lx at %lx, frame %s ref %u map %u",
			  pte, va, frame_state_name(f->state), f->refcount,
			  f->mapcount);
	if (f->refcount == 1 && f->state == FRAME_ANON) {
		/* raises rights only: no invalidation owed */
		pt_update_leaf(mm->root, va, ptep, old | vma_pte_flags(v) | PTE_A | PTE_D);
		vmstat_inc(VMSTAT_FAULT_COW_REUSE);
		return MM_FAULT_COW_REUSE;
	}
	pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);
	if (!pa)
		return MM_FAULT_OOM;
	frame_of_known(pa)->mapcount = 1;
	env_page_copy(frame_p2v(pa), frame_p2v(old));
	pt_update_leaf(mm->root, va, ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	rmap_link(rmap_unlink(f, mm, va), frame_of_known(pa), mm, va);
	f->mapcount--;
	frame_put(old);
	vmstat_inc(VMSTAT_FAULT_COW_COPY);
	return MM_FAULT_COW_COPY;
}

/* Page index in v's file of the page at va. */
static inline uint64_t file_index(const struct vma *v, uint64_t va)
{
	return (v->offset + (va - v->start)) >> PAGE_SHIFT;
}

/*
 * Not-present write to a MAP_PRIVATE file page: the process gets its own
 * copy at once (one fault instead of mapping the cache frame and then
 * breaking COW), writable, in a frame that is not cleared first.
 */
static enum mm_fault_outcome fault_file_copy(struct mm *mm, struct vma *v,
					     uint64_t va, uint64_t src,
					     uint64_t *ptep)
{
	uint64_t pa = take_user_frame(mm, va, FRAME_NOZERO);

	if (!pa)
		return MM_FAULT_OOM;
	env_page_copy(frame_p2v(pa), frame_p2v(src));
	pt_install_leaf(ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	mm->rss++;
	vmstat_inc(VMSTAT_PAGECACHE_HIT);
	vmstat_inc(VMSTAT_FAULT_FILE_COPY);
	return MM_FAULT_FILE_COPY;
}

/*
 * Not-present access to a file VMA: map the page-cache frame.  Past the
 * last page holding file data: SIGBUS, as Linux.  MAP_SHARED: the VMA's
 * rights with PTE_SW_SHARED, so writes reach the cached page every
 * mapper sees.  MAP_PRIVATE: a write copies (fault_file_copy); a read
 * maps the cache frame read-only with PTE_SW_COW whatever the VMA's
 * protection, so that neither mprotect (which keeps COW PTEs read-only)
 * nor fork can ever make the cache frame writable through it: the first
 * write goes through fault_cow, which copies (the cache holds a
 * reference, so the count is never 1).
 */
static enum mm_fault_outcome fault_file(struct mm *mm, struct vma *v,
					uint64_t va, uint64_t err,
					uint64_t *ptep)
{
	struct mm_file *file = v->file;
	uint64_t index = file_index(v, va), pa, flags;
	struct rmap_item *it;
	struct frame *f;

	if (!file || index >= file->npages)
		return MM_FAULT_SIGBUS;
	if (!(v->flags & VMA_SHARED) && (err & PF_ERR_W))
		return fault_file_copy(mm, v, va,
				       file->pa + (index << PAGE_SHIFT), ptep);
	it = rmap_alloc();
	if (!it)
		return MM_FAULT_OOM;
	pa = mm_pagecache_get(file, index);
	f = frame_of(pa);
	if (f->state != FRAME_FILE || f->refcount < 2 || f->mapcount >= f->refcount)
		env_panic("fault_file: %s page %lu frame %lx %s ref %u map %u",
			  file->name, index, pa, frame_state_name(f->state),
			  f->refcount, f->mapcount);
	flags = vma_pte_flags(v) | PTE_A;
	if (v->flags & VMA_SHARED) {
		if (err & PF_ERR_W)
			flags |= PTE_D;
		vmstat_inc(VMSTAT_FAULT_FILE_SHARED);
	} else {
		flags = (flags & ~PTE_RW) | PTE_SW_COW;
	}
	pt_install_leaf(ptep, pa | flags);
	f->mapcount++;
	rmap_link(it, f, mm, va);
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_FILE);
	return MM_FAULT_FILE;
}

/*
 * va has no VMA: if the next VMA above is a grows-down stack, extend it
 * down to va's page, provided the stack stays within mm->stack_limit and
 * keeps MM_STACK_GUARD_GAP from an accessible VMA below (Linux's
 * stack_guard_gap).  Sets *vp on success.
 */
static enum mm_fault_outcome fault_stack_grow(struct mm *mm, uint64_t va,
					      struct vma **vp)
{
	struct vma *v = vma_find_next(&mm->vmas, va), *prev;
	uint64_t start = PG_ROUND_DOWN(va);

	if (!v || !(v->flags & VMA_GROWSDOWN) || va >= v->start)
		return MM_FAULT_SEGV_MAPERR;
	if (v->end - start > mm->stack_limit)
		return MM_FAULT_SEGV_MAPERR;
	prev = v->prev;
	if (prev && (prev->prot & VMA_PROT_MASK) &&
	    start - prev->end < MM_STACK_GUARD_GAP)
		return MM_FAULT_SEGV_MAPERR;
	v->start = start;
	*vp = v;
	vmstat_inc(VMSTAT_FAULT_STACK_GROW);
	return MM_FAULT_STACK_GROW;
}

/* Does v's protection allow the access described by the error code?
 * x86 cannot map write-only or exec-only pages: any prot but PROT_NONE
 * can be read. */
static bool access_permitted(const struct vma *v, uint64_t err)
{
	if (err & PF_ERR_W)
		return v->prot & VMA_WRITE;
	if (err & PF_ERR_I)
		return v->prot & VMA_EXEC;
	return v->prot & VMA_PROT_MASK;
}

static enum mm_fault_outcome fault_not_present(struct mm *mm, struct vma *v,
					       uint64_t va, uint64_t err,
					       uint64_t *ptep)
{
	if (*ptep)
		env_panic("mm_fault: PTE %lx at %lx held in an accessible VMA",
			  *ptep, va);
	if (v->flags & VMA_FILE)
		return fault_file(mm, v, va, err, ptep);
	if (v->flags & VMA_SHARED)
		return fault_shared_anon(mm, v, va, err, ptep);
	if (err & PF_ERR_W)
		return fault_demand_zero(mm, v, va, ptep);
	return fault_zero_read(mm, v, ptep);
}

static enum mm_fault_outcome
fault_present(struct mm *mm, struct vma *v, uint64_t va, uint64_t err,
	      uint64_t *ptep)
{
	uint64_t pte = *ptep;

	if (!(err & PF_ERR_W) || (pte & PTE_RW)) {
		if ((err & PF_ERR_I) && (pte & PTE_NX))
			env_panic("mm_fault: NX PTE %lx at %lx in exec VMA", pte, va);
		vmstat_inc(VMSTAT_FAULT_SPURIOUS);
		return MM_FAULT_SPURIOUS;
	}
	if (pte & PTE_SW_ZERO)
		return fault_write_after_zero(mm, v, va, ptep);
	if (pte & PTE_SW_COW)
		return fault_cow(mm, v, va, ptep);
	env_panic("mm_fault: read-only PTE %lx at %lx in writable VMA %lx-%lx",
		  pte, va, v->start, v->end);
}

/* An outcome mm_fault does not resolve: count it, and log it under
 * mm->trace (the trap code's kill message has the faulting ip and sp). */
static enum mm_fault_outcome fault_fail(struct mm *mm, enum mm_fault_outcome o,
					uint64_t va, uint64_t err)
{
	if (o == MM_FAULT_OOM)
		vmstat_inc(VMSTAT_FAULT_OOM);
	else if (err & PF_ERR_U)
		vmstat_inc(VMSTAT_KILL);
	if (mm->trace)
		env_log("%s[%d]: mm_fault %s at %lx error %lx\n", mm->name,
			mm->pid, mm_fault_outcome_name(o), va, err);
	return o;
}

/* Everything mm_fault's fast path leaves: the full classification above,
 * out of line so that the fast path needs no callee-saved registers. */
static __attribute__((noinline)) enum mm_fault_outcome
fault_slow(struct mm *mm, uint64_t va, uint64_t err)
{
	enum mm_fault_outcome o, grown = MM_FAULT_NR;
	struct vma *v;
	uint64_t *ptep, page = PG_ROUND_DOWN(va);

	if (err & PF_ERR_RSVD)
		env_panic("mm_fault: reserved bit set in a PTE for %lx (pid %d)",
			  va, mm->pid);
	if (va >= USER_END)
		return fault_fail(mm, (err & PF_ERR_P) ? MM_FAULT_SEGV_ACCERR :
				  MM_FAULT_SEGV_MAPERR, va, err);
	v = vma_find(&mm->vmas, va);
	if (!v) {
		grown = fault_stack_grow(mm, va, &v);
		if (grown != MM_FAULT_STACK_GROW)
			return fault_fail(mm, grown, va, err);
	}
	if (!access_permitted(v, err))
		return fault_fail(mm, MM_FAULT_SEGV_ACCERR, va, err);
	ptep = pt_walk_alloc(mm->root, page);
	if (!ptep)
		return fault_fail(mm, MM_FAULT_OOM, va, err);
	pt_leaf_remember(mm->root, page, ptep);
	if (*ptep & PTE_P)
		o = fault_present(mm, v, page, err, ptep);
	else
		o = fault_not_present(mm, v, page, err, ptep);
	if (!mm_fault_resolved(o))
		return fault_fail(mm, o, va, err);
	return grown == MM_FAULT_STACK_GROW ? grown : o;
}

/*
 * The general handlers as mm_fault's fast cases fall back to them, with
 * the fast cases' arguments: va's PTE slot in the cached leaf table, the
 * VMA cache's VMA known to hold va.  They allocate the long way, and log
 * a failure (out of memory).
 */
#define FULL_CASE(name, handler)					\
static __attribute__((noinline)) enum mm_fault_outcome			\
name(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)		\
{									\
	enum mm_fault_outcome o =					\
		handler(mm, mm->vmas.cache, PG_ROUND_DOWN(va), ptep);	\
									\
	return mm_fault_resolved(o) ? o : fault_fail(mm, o, va, err);	\
}
FULL_CASE(full_demand_zero, fault_demand_zero)
FULL_CASE(full_write_after_zero, fault_write_after_zero)
FULL_CASE(full_cow, fault_cow)

/*
 * mm_fault's fast cases, tail-called with its arguments and va's PTE slot
 * in the cached leaf table (the VMA cache's VMA holds va, is private,
 * anonymous and writable).  Every kernel instruction is emulated on some
 * hosts (PLATFORM.md), so each runs straight through with no call that
 * returns before its last step, hence no callee-saved registers and no
 * frame:
 *  - what it takes (a frame from the hot list or the allocator's cursor,
 *    an rmap item from the first slab page) it takes inline, and when
 *    one is not at hand it passes the whole fault to the general handler
 *    (full_*) before changing anything;
 *  - the page clear or copy, a call, comes last, after the new PTE is
 *    installed: nobody can see the frame's contents in between, as the
 *    faulting process is stopped in this fault and the kernel runs with
 *    interrupts off on one CPU until the fault returns.
 */

static enum mm_fault_outcome fast_demand_zero(struct mm *, uint64_t, uint64_t,
					      uint64_t *);
static enum mm_fault_outcome fast_write_after_zero(struct mm *, uint64_t,
						   uint64_t, uint64_t *);
static enum mm_fault_outcome fast_cow(struct mm *, uint64_t, uint64_t,
				      uint64_t *);

/* A fast case found the hot list and the allocator's cursor empty: refill
 * the cursor (once per block of frames) and start it again, or leave the
 * fault to the general handler when no frame is left. */
#define REFILL_CASE(name, fast, full)					\
static __attribute__((noinline)) enum mm_fault_outcome			\
name(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)		\
{									\
	if (!frame_cursor_fill())					\
		return full(mm, va, err, ptep);				\
	return fast(mm, va, err, ptep);					\
}
REFILL_CASE(refill_demand_zero, fast_demand_zero, full_demand_zero)
REFILL_CASE(refill_write_after_zero, fast_write_after_zero, full_write_after_zero)
REFILL_CASE(refill_cow, fast_cow, full_cow)

/* Claim free frame i (from frame_take_page_fast) for a fresh private
 * page of mm at va: refcount and mapcount 1, rmap item it linked as the
 * only one.  Returns whether the frame was known clean. */
static inline __attribute__((always_inline)) bool
claim_user_page(uint32_t i, struct rmap_item *it, struct mm *mm, uint64_t va)
{
	it->mm = mm;
	it->va = va;
	it->next = NULL;
	return frame_claim_page(i, FRAME_ANON, 1, it);
}

/* The page-clearing policy for the fresh user page at pa, last thing in a
 * fast case (FRAME_ZEROED_POLICY, as frame_alloc_page would apply it). */
static inline __attribute__((always_inline)) void
clear_user_page(uint64_t pa, bool clean)
{
	if (frame_policy == FRAME_CLEAR_NONE)
		return;
	if (clean) {
		vmstat_inc(VMSTAT_CLEAR_SKIPPED);
		return;
	}
	vmstat_inc(VMSTAT_CLEAR_FAULT);
	env_page_clear(frame_p2v(pa));
}

/* fault_demand_zero, fast. */
static __attribute__((noinline)) enum mm_fault_outcome
fast_demand_zero(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)
{
	uint64_t pa;
	uint32_t i;
	bool clean;

	if (!slab_pop_ready(&rmap_cache))
		return full_demand_zero(mm, va, err, ptep);
	if (!frame_take_page_fast(&i))
		return refill_demand_zero(mm, va, err, ptep);
	pa = (uint64_t)i << PAGE_SHIFT;
	/* pt_install_leaf without its check: mm_fault saw the entry empty */
	*ptep = pa | vma_pte_flags(mm->vmas.cache) | PTE_A | PTE_D;
	pt_leaf_cache.frame->count++;
	clean = claim_user_page(i, slab_pop(&rmap_cache), mm, PG_ROUND_DOWN(va));
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_DEMAND_ZERO);
	clear_user_page(pa, clean);
	return MM_FAULT_DEMAND_ZERO;
}

/* fault_write_after_zero, fast. */
static __attribute__((noinline)) enum mm_fault_outcome
fast_write_after_zero(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)
{
	struct frame *z = mm_zero_frame;
	uint64_t pa, page = PG_ROUND_DOWN(va);
	uint32_t i;
	bool clean;

	if (PTE_ADDR(*ptep) != mm_zero_page() || z->mapcount == 0)
		env_panic("fault_write_after_zero: PTE %lx at %lx, zero %lx map %u",
			  *ptep, va, mm_zero_page(), z->mapcount);
	if (!slab_pop_ready(&rmap_cache))
		return full_write_after_zero(mm, va, err, ptep);
	if (!frame_take_page_fast(&i))
		return refill_write_after_zero(mm, va, err, ptep);
	pa = (uint64_t)i << PAGE_SHIFT;
	clean = claim_user_page(i, slab_pop(&rmap_cache), mm, page);
	z->mapcount--;
	mm->nr_zero--;
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_WRITE_AFTER_ZERO);
	pt_replace_leaf_frame(mm->root, page, ptep,
			      pa | vma_pte_flags(mm->vmas.cache) | PTE_A | PTE_D);
	clear_user_page(pa, clean);
	return MM_FAULT_WRITE_AFTER_ZERO;
}

/* fault_cow's panic for fast_cow, out of line and with fast_cow's
 * arguments as they are (noipa: not rewritten by the compiler), so that
 * fast_cow keeps its registers as they came. */
static __attribute__((noipa, noreturn)) void
cow_bad(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)
{
	uint64_t pte = *ptep;
	struct frame *f = frame_of(PTE_ADDR(pte));

	(void)mm;
	(void)err;
	env_panic("fault_cow: PTE %lx at %lx, frame %s ref %u map %u", pte, va,
		  frame_state_name(f->state), f->refcount, f->mapcount);
}

/*
 * fault_cow, fast: see there.  A reuse sets RW (and A, D) in the PTE and
 * drops PTE_SW_COW, nothing else: rights only rise, so by the TLB rule
 * no INVLPG is owed.  A frame with one reference that is not anonymous
 * (a page-cache frame without the cache's reference: a bug) is left to
 * fault_cow, to panic.
 */
static __attribute__((noinline)) enum mm_fault_outcome
fast_cow(struct mm *mm, uint64_t va, uint64_t err, uint64_t *ptep)
{
	uint64_t pte = *ptep, old = PTE_ADDR(pte), page = PG_ROUND_DOWN(va), pa;
	/* a present user PTE the kernel wrote: its frame is in RAM */
	struct frame *f = frame_of_known(old);
	struct rmap_item *it;
	uint32_t i;

	/* mapcount in [1, refcount]: at least this PTE, at most one per
	 * reference */
	if (f->refcount == 1 && f->state == FRAME_ANON) {
		if (f->mapcount != 1 || (pte & PTE_SW_SHARED))
			cow_bad(mm, va, err, ptep);
		*ptep = (pte & ~PTE_SW_COW) | PTE_RW | PTE_A | PTE_D;
		vmstat_inc(VMSTAT_FAULT_COW_REUSE);
		return MM_FAULT_COW_REUSE;
	}
	if (f->mapcount == 0 || f->mapcount > f->refcount ||
	    (pte & PTE_SW_SHARED) ||
	    (f->state != FRAME_ANON && f->state != FRAME_FILE))
		cow_bad(mm, va, err, ptep);
	if (f->refcount == 1)
		return full_cow(mm, va, err, ptep);
	if (!frame_take_page_fast(&i))
		return refill_cow(mm, va, err, ptep);
	/* this PTE's rmap item, reference and map count move to the copy;
	 * the old frame keeps at least one reference: never freed here */
	it = rmap_unlink(f, mm, page);
	it->next = NULL;
	frame_claim_page(i, FRAME_ANON, 1, it);
	f->mapcount--;
	f->refcount--;
	pa = (uint64_t)i << PAGE_SHIFT;
	vmstat_inc(VMSTAT_FAULT_COW_COPY);
	pt_replace_leaf_frame(mm->root, page, ptep,
			      pa | vma_pte_flags(mm->vmas.cache) | PTE_A | PTE_D);
	env_page_copy(frame_p2v(pa), frame_p2v(old));
	return MM_FAULT_COW_COPY;
}

/*
 * Handle a #PF at va (CR2) with the CPU's error code err in address space
 * mm (the one loaded in CR3).  Returns the outcome.  When it is not
 * resolved (!mm_fault_resolved), the caller kills a user-mode faulter
 * (SIGSEGV for SEGV_*, SIGBUS, OOM as it sees fit) and prints the
 * segfault line; for a kernel-mode access (uaccess) it fails the copy
 * with -EFAULT.  User-mode SEGV outcomes are counted as kills here.
 *
 * The fast path, for the faults a process takes by the thousand: a read
 * or write (not a fetch) in the cached VMA, private and anonymous, that
 * the VMA allows, in the 2 MiB region whose leaf table fault_slow walked
 * to last (pt_leaf_hit).  A read of a not-present page maps the zero
 * page right here; the other cases are tail calls.  Every kernel
 * instruction is emulated on some hosts (PLATFORM.md), so this part is
 * kept free of calls that return: it needs no callee-saved registers,
 * hence no prologue.  Anything else goes to fault_slow, which decides
 * the same cases the long way.
 */
enum mm_fault_outcome mm_fault(struct mm *mm, uint64_t va, uint64_t err)
{
	struct vma *v = mm->vmas.cache;
	uint64_t *ptep, pte;

	if (!v || va < v->start || va >= v->end ||
	    (err & (PF_ERR_RSVD | PF_ERR_I)) ||
	    (v->flags & (VMA_FILE | VMA_SHARED)) ||
	    !pt_leaf_hit(mm->root, va))
		return fault_slow(mm, va, err);
	ptep = pt_leaf_entry(va);
	pte = *ptep;
	/* a read: any protection but PROT_NONE allows it */
	if (!(err & PF_ERR_W)) {
		if (pte || !(v->prot & VMA_PROT_MASK))
			return fault_slow(mm, va, err);
		return fault_zero_read(mm, v, ptep);
	}
	if (!(v->prot & VMA_WRITE))
		return fault_slow(mm, va, err);
	if (!pte)
		return fast_demand_zero(mm, va, err, ptep);
	/* a write to a present read-only PTE in a writable VMA */
	if ((pte & PTE_P) && !(pte & PTE_RW)) {
		if (pte & PTE_SW_ZERO)
			return fast_write_after_zero(mm, va, err, ptep);
		if (pte & PTE_SW_COW)
			return fast_cow(mm, va, err, ptep);
	}
	/* spurious, and what panics */
	return fault_slow(mm, va, err);
}
