/*
 * pgtable_copy.c: copy the leaf entries of a range of one address space
 * into another (fork), walking both trees together: each destination
 * table is allocated once, when the walk descends into the matching
 * source table, so a page costs one entry read and at most two entry
 * writes, never a walk from the root.
 *
 * Source entries change through pt_set (the TLB rule) into a batch the
 * caller owns, so a fork that write-protects pages in many VMAs owes one
 * CR3 reload in all.  Destination entries were empty: filling them owes
 * nothing.
 */
#include <stddef.h>
#include "pgtable.h"
#include "pgtable_impl.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "vmstat.h"

struct copy_ctx {
	struct pt_flush *src;   /* the source's invalidations (caller's) */
	struct pt_flush dst;    /* the destination's: only emptied tables */
	pt_copy_fn fn;
	void *arg;
};

/* The leaves of [start, end), inside one PT: s (source), d (destination). */
static void copy_leaves(struct copy_ctx *c, uint64_t *s, uint64_t *d,
			uint64_t start, uint64_t end)
{
	struct frame *dt = frame_of(frame_v2p(d));
	uint64_t base = start & ~(PT_LEVEL_SIZE(1) - 1);
	uint64_t i = PX(0, start), last = i + ((end - start) >> PAGE_SHIFT);

	for (; i < last; i++) {
		uint64_t va, pte = s[i], child = 0, new;

		if (!pte)
			continue;
		va = base | (i << PAGE_SHIFT);
		if (d[i])
			env_panic("pt_copy_range: destination %lx already holds %lx",
				  va, d[i]);
		new = c->fn(c->arg, va, pte, &child);
		if (new != pte)
			pt_set(c->src, va, &s[i], new, true);
		if (child) {
			d[i] = child;
			dt->count++;
		}
	}
}

static int copy_level(struct copy_ctx *c, uint64_t *s, uint64_t *d, int level,
		      uint64_t start, uint64_t end)
{
	uint64_t va, next;
	int r;

	if (level == 0) {
		copy_leaves(c, s, d, start, end);
		return 0;
	}
	for (va = start; va < end; va = next) {
		uint64_t *se = &s[PX(level, va)], *de = &d[PX(level, va)], pa;

		next = (va | (PT_LEVEL_SIZE(level) - 1)) + 1;
		if (next > end)
			next = end;
		if (!(*se & PTE_P))
			continue;
		if (*se & PTE_PS)
			env_panic("pt_copy_range: large page at %lx", va);
		if (!frame_of(PTE_ADDR(*se))->count)
			continue;               /* left empty by a failed fault */
		if (!(*de & PTE_P)) {
			pa = frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED);
			if (!pa)
				return -MM_ENOMEM;
			vmstat_inc(VMSTAT_PT_ALLOC);
			pt_set(&c->dst, va, de, pa | pt_table_flags(va), false);
		}
		r = copy_level(c, table_of(PTE_ADDR(*se)),
			       table_of(PTE_ADDR(*de)), level - 1, va, next);
		pt_release_if_empty(&c->dst, va, de);
		if (r)
			return r;
	}
	return 0;
}

/*
 * For every non-zero leaf PTE of [start, end) (user half, page aligned)
 * in the address space src->root, call fn, store the source PTE it
 * returns (TLB invalidations go into the batch src, which the caller
 * settles with pt_flush_finish, also after a failure) and put the entry
 * it gives into the same slot of dst_root, allocating dst's tables on
 * the way.  dst's slots in the range must be empty.  Returns 0, or
 * -MM_ENOMEM when a table could not be allocated: the walk stops there,
 * every leaf fn was called for has been stored in both trees (the
 * caller undoes them, e.g. by unmapping dst), and no empty table is
 * left in dst.
 */
int pt_copy_range(struct pt_flush *src, uint64_t dst_root, uint64_t start,
		  uint64_t end, pt_copy_fn fn, void *arg)
{
	struct copy_ctx c = { .src = src, .dst = PT_FLUSH_BATCH(dst_root),
			      .fn = fn, .arg = arg };
	int r;

	if (end > USER_END || start > end || !PG_ALIGNED(start | end))
		env_panic("pt_copy_range: bad range %lx-%lx", start, end);
	r = copy_level(&c, table_of(src->root), table_of(dst_root),
		       PT_LEVELS - 1, start, end);
	pt_flush_finish(&c.dst);
	return r;
}
