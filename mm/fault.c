/*
 * fault.c: the page-fault handler.  mm_fault finds the VMA and the PTE
 * slot, checks the access against the VMA, and hands the fault to one
 * handler per outcome; each handler asserts the refcount invariants it
 * relies on, on entry, and returns the outcome.
 *
 *   no VMA, not just below a stack      -> SEGV_MAPERR
 *   just below a grows-down VMA         -> fault_stack_grow, then as below
 *   access the VMA's prot forbids       -> SEGV_ACCERR
 *   not present, file, past EOF         -> SIGBUS
 *   not present, file, private, write   -> fault_file_copy
 *   not present, file                   -> fault_file (page-cache frame)
 *   not present, shared anonymous       -> fault_shared_anon
 *   not present, private, write         -> fault_demand_zero
 *   not present, private, read/fetch    -> fault_zero_read
 *   present, write, PTE_SW_ZERO         -> fault_write_after_zero
 *   present, write, PTE_SW_COW          -> fault_cow (copy, or reuse)
 *   present and already allowed         -> spurious
 *
 * Speed lives in the layers this calls: the VMA cache (vma_find_cached),
 * the leaf-table cache (pt_leaf_hit), the hot-list page pop
 * (frame_take_page) and the slab pop (rmap_take), all inline.  Every
 * kernel instruction is emulated on some hosts (PLATFORM.md), so the code
 * is laid out for the compiler: mm_fault and fault_dispatch (present and
 * not-present cases inlined) make no call that returns.  A handler that needs one (it allocates) is a function of
 * its own, tail-called, and fails through fault_fail, tail-called; so the
 * commonest faults, a zero-page read and a COW reuse, run without saving
 * a register.  A miss in either cache goes through fault_lookup, which
 * finds the VMA and the PTE slot the long way (filling both caches) and
 * then dispatches the same way.
 */
#include <stdbool.h>
#include <stddef.h>
#include "fault.h"
#include "env.h"
#include "frame.h"
#include "pagecache.h"
#include "pgtable.h"
#include "ptshare.h"
#include "rmap.h"
#include "vmstat.h"

/* Inline into its caller; a tail-called handler of its own; a rare path.
 * A rare path is noipa: GCC would otherwise find that the panicking ones
 * never return and call them instead of jumping, and a call needs the
 * stack aligned on the hot path too. */
#define FAULT_INLINE  static inline __attribute__((always_inline))
#define FAULT_HANDLER static __attribute__((noinline))
#define FAULT_COLD    static __attribute__((noipa, cold))

typedef enum mm_fault_outcome outcome_t;

/* What a handler takes: a page, an rmap item (take_user_page). */
enum { NEED_PAGE = 1, NEED_RMAP = 2 };

/* For the compiler's block layout: which way the commonest faults go. */
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static outcome_t fault_lookup(struct mm *, uint64_t, uint64_t);
static outcome_t fault_refill(struct mm *, uint64_t, uint64_t, unsigned);
static outcome_t fault_dispatch(struct mm *, struct vma *, uint64_t, uint64_t,
				struct pt_slot);
static outcome_t fault_not_present(struct mm *, struct vma *, uint64_t,
				   uint64_t, struct pt_slot);
static outcome_t fault_present(struct mm *, struct vma *, uint64_t, uint64_t,
			       uint64_t *);
static outcome_t fault_zero_read(struct mm *, struct vma *, struct pt_slot);
static outcome_t fault_demand_zero(struct mm *, struct vma *, uint64_t,
				   uint64_t, struct pt_slot);
static outcome_t fault_write_after_zero(struct mm *, struct vma *, uint64_t,
					uint64_t, uint64_t *);
static outcome_t fault_cow(struct mm *, struct vma *, uint64_t, uint64_t,
			   uint64_t *);
static outcome_t fault_cow_copy(struct mm *, struct vma *, uint64_t, uint64_t,
				uint64_t *);
static outcome_t fault_shared_anon(struct mm *, struct vma *, uint64_t,
				   uint64_t, struct pt_slot);
static outcome_t fault_file(struct mm *, struct vma *, uint64_t, uint64_t,
			    struct pt_slot);
static outcome_t fault_stack_grow(struct mm *, uint64_t, struct vma **);
static outcome_t fault_fail(struct mm *, outcome_t, uint64_t, uint64_t);
/* These never return; they return an outcome so that they can be
 * tail-called (no stack alignment on the paths that might call them). */
static outcome_t fault_bad_pte(const char *, uint64_t, uint64_t);
static outcome_t fault_bad_frame(const char *, uint64_t, uint64_t,
				 const struct frame *);
static outcome_t fault_reserved_bit(struct mm *, uint64_t);

/*
 * Handle a #PF at va (CR2) with the CPU's error code err in address space
 * mm (the one loaded in CR3).  Returns the outcome.  When it is not
 * resolved (!mm_fault_resolved), the caller kills a user-mode faulter
 * (SIGSEGV for SEGV_*, SIGBUS, OOM as it sees fit) and prints the
 * segfault line; for a kernel-mode access (uaccess) it fails the copy
 * with -EFAULT.  User-mode SEGV outcomes are counted as kills here.
 */
enum mm_fault_outcome mm_fault(struct mm *mm, uint64_t va, uint64_t err)
{
	struct vma *v = vma_find_cached(&mm->vmas, va);

	mm->nr_faults++;
	if (unlikely(!v || !pt_leaf_hit(mm->root, va)))
		return fault_lookup(mm, va, err);
	return fault_dispatch(mm, v, va, err, pt_leaf_slot(va));
}

/*
 * mm_fault when va's VMA or leaf table is not the cached one: find the
 * VMA, or grow a stack down to va; walk to the PTE slot, allocating
 * tables (both caches now hold what was found); dispatch.
 */
FAULT_HANDLER outcome_t fault_lookup(struct mm *mm, uint64_t va, uint64_t err)
{
	struct pt_slot slot;
	bool grown = false;
	struct vma *v;
	outcome_t o;

	if (err & PF_ERR_RSVD)
		return fault_reserved_bit(mm, va);
	if (va >= USER_END)
		return fault_fail(mm, (err & PF_ERR_P) ? MM_FAULT_SEGV_ACCERR :
				  MM_FAULT_SEGV_MAPERR, va, err);
	v = vma_find(&mm->vmas, va);
	if (!v) {
		o = fault_stack_grow(mm, va, &v);
		if (o != MM_FAULT_STACK_GROW)
			return fault_fail(mm, o, va, err);
		grown = true;
	}
	slot = pt_walk_alloc(mm->root, va);
	if (unlikely(!slot.pte) && ptshare_unshare_at(mm, va) > 0)
		slot = pt_walk_alloc(mm->root, va);     /* now mm's own table */
	if (!slot.pte)
		return fault_fail(mm, MM_FAULT_OOM, va, err);
	o = fault_dispatch(mm, v, va, err, slot);
	return grown && mm_fault_resolved(o) ? MM_FAULT_STACK_GROW : o;
}

/*
 * A handler found what it needs (NEED_*) not at hand: refill it and start
 * the fault again, which now finds it.  Out of memory is the fault's
 * outcome.  Growing the rmap slab takes a frame; it must not be the one
 * the fault is to get (the frame freed last), so that one is held aside
 * meanwhile and put back on top of the hot list as it was.
 */
FAULT_HANDLER outcome_t fault_refill(struct mm *mm, uint64_t va, uint64_t err,
				     unsigned need)
{
	uint64_t held = 0;
	bool clean = false, ok;

	if ((need & NEED_PAGE) && !frame_refill())
		return fault_fail(mm, MM_FAULT_OOM, va, err);
	if ((need & NEED_RMAP) && !rmap_at_hand()) {
		if (need & NEED_PAGE)
			held = frame_take_page(FRAME_ANON, &clean);
		ok = rmap_refill();
		if (held && clean)
			frame_free_zeroed(held);
		else if (held)
			frame_free(held);
		if (!ok)
			return fault_fail(mm, MM_FAULT_OOM, va, err);
	}
	return mm_fault(mm, va, err);
}

/* Does v's protection allow the access described by the error code?
 * x86 cannot map write-only or exec-only pages: any prot but PROT_NONE
 * can be read.  A reserved-bit fault is never allowed (the caller sees
 * to it before it fails the access). */
static inline bool access_permitted(const struct vma *v, uint64_t err)
{
	if (likely(!(err & (PF_ERR_W | PF_ERR_I | PF_ERR_RSVD))))
		return v->prot & VMA_PROT_MASK;
	if (err & PF_ERR_RSVD)
		return false;
	if (err & PF_ERR_W)
		return v->prot & VMA_WRITE;
	return v->prot & VMA_EXEC;
}

/*
 * The VMA allows the access, or not; then the PTE decides: empty, or
 * present.  A not-present entry that is not empty is never left in a VMA
 * that allows access (mprotect rewrites PROT_NONE entries).  A
 * reserved-bit fault (never allowed) is a broken page table: panic.
 */
FAULT_INLINE outcome_t fault_dispatch(struct mm *mm, struct vma *v,
				      uint64_t va, uint64_t err,
				      struct pt_slot slot)
{
	uint64_t pte;

	if (unlikely(!access_permitted(v, err))) {
		if (err & PF_ERR_RSVD)
			return fault_reserved_bit(mm, va);
		return fault_fail(mm, MM_FAULT_SEGV_ACCERR, va, err);
	}
	pte = *slot.pte;
	if (!pte)
		return fault_not_present(mm, v, va, err, slot);
	if (unlikely(!(pte & PTE_P)))
		return fault_bad_pte("not-present PTE held in an accessible VMA",
				     pte, va);
	return fault_present(mm, v, va, err, slot.pte);
}

/* Not present (the entry is empty): the VMA's kind and the access
 * decide. */
FAULT_INLINE outcome_t fault_not_present(struct mm *mm, struct vma *v,
					 uint64_t va, uint64_t err,
					 struct pt_slot slot)
{
	if (unlikely(v->flags & (VMA_FILE | VMA_SHARED))) {
		if (v->flags & VMA_FILE)
			return fault_file(mm, v, va, err, slot);
		return fault_shared_anon(mm, v, va, err, slot);
	}
	if (err & PF_ERR_W)
		return fault_demand_zero(mm, v, va, err, slot);
	return fault_zero_read(mm, v, slot);
}

/* Present: a write to a read-only PTE of a writable VMA, or spurious. */
FAULT_INLINE outcome_t fault_present(struct mm *mm, struct vma *v,
				     uint64_t va, uint64_t err, uint64_t *ptep)
{
	uint64_t pte = *ptep;

	va = PG_ROUND_DOWN(va);
	if (!(err & PF_ERR_W) || (pte & PTE_RW)) {
		if ((err & PF_ERR_I) && (pte & PTE_NX))
			return fault_bad_pte("NX PTE in an executable VMA",
					     pte, va);
		vmstat_inc(VMSTAT_FAULT_SPURIOUS);
		return MM_FAULT_SPURIOUS;
	}
	if (pte & PTE_SW_ZERO)
		return fault_write_after_zero(mm, v, va, err, ptep);
	if (pte & PTE_SW_COW)
		return fault_cow(mm, v, va, err, ptep);
	return fault_bad_pte(PTE_ADDR(pte) == mm_zero_page() ?
			     "the zero page mapped without PTE_SW_ZERO" :
			     "read-only PTE in a writable VMA", pte, va);
}

/*
 * What a handler takes it takes inline, from what the allocators have at
 * hand, so that it makes no call before its last step.  When something is
 * missing it has taken nothing yet: fault_refill refills and starts the
 * fault again.
 *
 * take_user_page: a fresh anonymous page for the new mapping (mm, va's
 * page): refcount 1 (the mapping's), mapcount 1, its rmap item linked.
 * The frame is the most recently freed one (the clearing-policy tests
 * rely on that).  Its contents are owed: the handler's last step is
 * frame_page_settle(*pa, *clean, ...).  False when the rmap item or the
 * page is not at hand (NEED_RMAP | NEED_PAGE).
 */
FAULT_INLINE bool take_user_page(struct mm *mm, uint64_t va, uint64_t *pa,
				 bool *clean)
{
	struct frame *f;

	if (unlikely(!rmap_at_hand()) ||
	    unlikely(!frame_take_page_try(FRAME_ANON, pa, clean)))
		return false;
	f = frame_of_known(*pa);
	f->mapcount = 1;
	rmap_link(rmap_take(), f, mm, PG_ROUND_DOWN(va));
	return true;
}

/* Not-present read in a private anonymous VMA: share the zero page, which
 * only the mm module owns (refcount 1, never writable). */
FAULT_INLINE outcome_t
fault_zero_read(struct mm *mm, struct vma *v, struct pt_slot slot)
{
	uint64_t flags = vma_pte_flags_ro_private(v) | PTE_SW_ZERO | PTE_A;
	struct frame *z = mm_zero_frame;

	if (z->state != FRAME_ZERO || z->refcount != 1 || (flags & PTE_RW))
		return fault_bad_frame("zero page not read-only or not the "
				       "zero page", flags, 0, z);
	pt_install(slot, mm_zero_page() | flags);
	z->mapcount++;
	mm->nr_zero++;
	vmstat_inc(VMSTAT_FAULT_ZERO_READ);
	return MM_FAULT_ZERO_READ;
}

/*
 * A fresh frame for a not-present page of an anonymous VMA: a write to a
 * private one (demand zero), or any access to a shared one, which must
 * have its own frame at once (the zero page would break sharing later).
 * dirty is PTE_D if the access writes.
 */
FAULT_INLINE outcome_t fault_fresh_anon(struct mm *mm, struct vma *v,
					uint64_t va, uint64_t err,
					struct pt_slot slot, uint64_t dirty,
					outcome_t o, enum vmstat_item stat)
{
	uint64_t pte = vma_pte_flags(v) | PTE_A | dirty, pa;
	bool clean;

	if (unlikely(!take_user_page(mm, va, &pa, &clean)))
		return fault_refill(mm, va, err, NEED_PAGE | NEED_RMAP);
	pt_install(slot, pa | pte);
	mm->rss++;
	vmstat_inc(stat);
	frame_page_settle(pa, clean, FRAME_ZEROED_POLICY);
	return o;
}

FAULT_HANDLER outcome_t fault_demand_zero(struct mm *mm, struct vma *v,
					  uint64_t va, uint64_t err,
					  struct pt_slot slot)
{
	return fault_fresh_anon(mm, v, va, err, slot, PTE_D,
				MM_FAULT_DEMAND_ZERO, VMSTAT_FAULT_DEMAND_ZERO);
}

FAULT_HANDLER outcome_t fault_shared_anon(struct mm *mm, struct vma *v,
					  uint64_t va, uint64_t err,
					  struct pt_slot slot)
{
	return fault_fresh_anon(mm, v, va, err, slot,
				(err & PF_ERR_W) ? PTE_D : 0,
				MM_FAULT_SHARED_ANON, VMSTAT_FAULT_SHARED_ANON);
}

/* Write to a page that maps the zero page in a writable private VMA:
 * replace it by a fresh frame (no copy: the old content is zeros). */
FAULT_HANDLER outcome_t fault_write_after_zero(struct mm *mm, struct vma *v,
					       uint64_t va, uint64_t err,
					       uint64_t *ptep)
{
	struct frame *z = mm_zero_frame;
	uint64_t pa;
	bool clean;

	if (PTE_ADDR(*ptep) != mm_zero_page() || z->mapcount == 0)
		return fault_bad_frame("PTE_SW_ZERO without the zero page",
				       *ptep, va, z);
	if (unlikely(!take_user_page(mm, va, &pa, &clean)))
		return fault_refill(mm, va, err, NEED_PAGE | NEED_RMAP);
	z->mapcount--;
	mm->nr_zero--;
	mm->rss++;
	vmstat_inc(VMSTAT_FAULT_WRITE_AFTER_ZERO);
	pt_replace_leaf(mm->root, va, ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	frame_page_settle(pa, clean, FRAME_ZEROED_POLICY);
	return MM_FAULT_WRITE_AFTER_ZERO;
}
/*
 * Write to a read-only PTE_SW_COW page of a writable private VMA (fork
 * shared it).  Each mapping PTE holds one reference, so refcount 1 means
 * this PTE is the last user: make it writable in place (Linux's reuse;
 * only for anonymous frames: a page-cache frame also has the cache's
 * reference).  Otherwise fault_cow_copy.
 */
FAULT_INLINE outcome_t fault_cow(struct mm *mm, struct vma *v, uint64_t va,
				 uint64_t err, uint64_t *ptep)
{
	uint64_t pte = *ptep;
	/* a present user PTE the kernel wrote: its frame is in RAM */
	struct frame *f = frame_of_known(PTE_ADDR(pte));

	if (f->refcount != 1 || f->state != FRAME_ANON)
		return fault_cow_copy(mm, v, va, err, ptep);
	/* the last reference is this PTE's: one mapping, private */
	if (f->mapcount != 1 || (pte & (PTE_SW_ZERO | PTE_SW_SHARED)) ||
	    (v->flags & VMA_SHARED))
		return fault_bad_frame("COW reuse of a shared frame", pte, va, f);
	pt_raise_leaf(ptep, PTE_RW | PTE_A | PTE_D, PTE_SW_COW);
	vmstat_inc(VMSTAT_FAULT_COW_REUSE);
	return MM_FAULT_COW_REUSE;
}

/*
 * fault_cow for a frame others still hold: copy the page into a fresh
 * frame (not cleared: the copy overwrites all of it), map that writable,
 * move this PTE's rmap item to it, and give this PTE's reference and map
 * count back to the old frame.  Others hold it (its refcount is at least
 * 2: a page-cache frame has the cache's reference too), so it is never
 * freed here.  The copy comes last (see frame_page_settle).
 */
FAULT_HANDLER outcome_t fault_cow_copy(struct mm *mm, struct vma *v,
				       uint64_t va, uint64_t err,
				       uint64_t *ptep)
{
	uint64_t pte = *ptep, old = PTE_ADDR(pte), pa;
	struct frame *f = frame_of_known(old), *copy;
	bool clean;

	/* mapcount in [1, refcount]: this PTE, at most one per reference */
	if (f->refcount < 2 || f->mapcount == 0 || f->mapcount > f->refcount ||
	    (pte & (PTE_SW_ZERO | PTE_SW_SHARED)) || (v->flags & VMA_SHARED) ||
	    (f->state != FRAME_ANON && f->state != FRAME_FILE))
		return fault_bad_frame("COW PTE with bad frame counts", pte,
				       va, f);
	if (unlikely(!frame_take_page_try(FRAME_ANON, &pa, &clean)))
		return fault_refill(mm, va, err, NEED_PAGE);
	copy = frame_of_known(pa);
	copy->mapcount = 1;
	rmap_link(rmap_unlink(f, mm, va), copy, mm, va);
	f->mapcount--;
	f->refcount--;
	vmstat_inc(VMSTAT_FAULT_COW_COPY);
	pt_replace_leaf(mm->root, va, ptep, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	env_page_copy(frame_p2v(pa), frame_p2v(old));
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
static outcome_t fault_file_copy(struct mm *mm, struct vma *v, uint64_t va,
				 uint64_t err, uint64_t src,
				 struct pt_slot slot)
{
	uint64_t pa;
	bool clean;

	if (unlikely(!take_user_page(mm, va, &pa, &clean)))
		return fault_refill(mm, va, err, NEED_PAGE | NEED_RMAP);
	pt_install(slot, pa | vma_pte_flags(v) | PTE_A | PTE_D);
	mm->rss++;
	vmstat_inc(VMSTAT_PAGECACHE_HIT);
	vmstat_inc(VMSTAT_FAULT_FILE_COPY);
	env_page_copy(frame_p2v(pa), frame_p2v(src));
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
FAULT_HANDLER enum mm_fault_outcome
fault_file(struct mm *mm, struct vma *v, uint64_t va, uint64_t err,
	   struct pt_slot slot)
{
	struct mm_file *file = v->file;
	uint64_t index = file_index(v, va), pa, flags;
	struct rmap_item *it;
	struct frame *f;

	if (!file || index >= file->npages)
		return fault_fail(mm, MM_FAULT_SIGBUS, va, err);
	pa = mm_pagecache_page(file, index);
	if (pa == MM_PAGECACHE_NOMEM)
		return fault_fail(mm, MM_FAULT_OOM, va, err);
	if (!(v->flags & VMA_SHARED) && (err & PF_ERR_W))
		return fault_file_copy(mm, v, va, err, pa, slot);
	if (unlikely(!rmap_at_hand()))
		return fault_refill(mm, va, err, NEED_RMAP);
	it = rmap_take();
	f = frame_of(pa);
	f->refcount++;                  /* the mapping PTE's reference */
	vmstat_inc(VMSTAT_PAGECACHE_HIT);
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
	pt_install(slot, pa | flags);
	f->mapcount++;
	rmap_link(it, f, mm, PG_ROUND_DOWN(va));
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
FAULT_HANDLER outcome_t
fault_stack_grow(struct mm *mm, uint64_t va, struct vma **vp)
{
	struct vma *v = vma_find_next(&mm->vmas, va), *prev;
	uint64_t start = PG_ROUND_DOWN(va);

	if (!v || !(v->flags & VMA_GROWSDOWN) || va >= v->start)
		return MM_FAULT_SEGV_MAPERR;
	if (v->end - start > mm->stack_limit ||
	    mm_as_exceeded(mm, v->start - start))
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

/* An outcome mm_fault does not resolve: count it, and log it under
 * mm->trace (the trap code's kill message has the faulting ip and sp). */
FAULT_COLD enum mm_fault_outcome
fault_fail(struct mm *mm, enum mm_fault_outcome o, uint64_t va, uint64_t err)
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

/* A broken invariant: out of line, so the checks cost a compare each. */
FAULT_COLD outcome_t fault_bad_pte(const char *why, uint64_t pte, uint64_t va)
{
	env_panic("mm_fault: %s: PTE %lx at %lx", why, pte, va);
}

FAULT_COLD outcome_t fault_bad_frame(const char *why, uint64_t pte,
				     uint64_t va, const struct frame *f)
{
	env_panic("mm_fault: %s: PTE %lx at %lx, frame %s ref %u map %u", why,
		  pte, va, frame_state_name(f->state), f->refcount,
		  f->mapcount);
}

FAULT_COLD outcome_t fault_reserved_bit(struct mm *mm, uint64_t va)
{
	env_panic("mm_fault: reserved bit set in a PTE for %lx (pid %d)", va,
		  mm->pid);
}

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
