/*
 * rmap_check.c: the reverse map checked against the page tables of every
 * live address space (mm_rmap_check, rmap.h), and the report of an item
 * the rmap should have had.  Separate from rmap.c, which treats an
 * item's mm as a key only, so that mm.c (which owns the list of every
 * mm) and rmap.c do not need each other.
 */
#include <stddef.h>
#include "rmap.h"
#include "env.h"
#include "mm.h"
#include "pgtable_impl.h"
#include "ptshare.h"
#include "textbuf.h"

/* rmap_unlink found no item (mm, va) on f: a mapping the rmap did not
 * see, a bookkeeping bug. */
_Noreturn void rmap_unlink_missing(struct frame *f, struct mm *mm, uint64_t va)
{
	env_panic("rmap_unlink: frame %lx (%s map %u) has no mapping at %lx in pid %d",
		  frame_pa(f), frame_state_name(f->state), f->mapcount, va,
		  mm->pid);
}

struct check {
	struct tbuf b;
	bool ok;
};

static bool fail(struct check *c, const char *what, uint64_t pa, uint64_t a,
		 uint64_t b)
{
	if (c->ok) {
		tbuf_str(&c->b, what);
		tbuf_str(&c->b, ": frame ");
		tbuf_hex(&c->b, pa, 1);
		tbuf_str(&c->b, " (");
		tbuf_hex(&c->b, a, 1);
		tbuf_str(&c->b, ", ");
		tbuf_hex(&c->b, b, 1);
		tbuf_str(&c->b, ")");
		tbuf_finish(&c->b);
	}
	c->ok = false;
	return false;
}

static bool listed(const struct frame *f, const struct mm *mm, uint64_t va)
{
	const struct rmap_item *it;

	for (it = f->rmap; it; it = it->next)
		if (it->mm == mm && it->va == va)
			return true;
	return false;
}

static bool mm_alive(const struct mm *mm)
{
	const struct mm *m;

	for (m = mm_all; m; m = m->all_next)
		if (m == mm)
			return true;
	return false;
}

/* The leaf PTE of va in mm, or 0. */
static uint64_t leaf_of(struct mm *mm, uint64_t va)
{
	int level;
	uint64_t *e = pt_walk(mm->root, va, &level);

	return e && level == 0 ? *e : 0;
}

/* Every leaf below table t (level) holding a frame, other than the zero
 * page, is listed on that frame.  A shared leaf table's leaves are
 * listed under its key sharer (ptshare.c): checked there only. */
static void check_tables(struct check *c, struct mm *mm, uint64_t *t,
			 int level, uint64_t base, uint64_t zero)
{
	int i, n = level == PT_LEVELS - 1 ? PT_USER_SLOTS : PT_ENTRIES;

	for (i = 0; i < n && c->ok; i++) {
		uint64_t e = t[i], va = base + ((uint64_t)i << PT_SHIFT(level));
		struct frame *f;

		if (!e)
			continue;
		if (level == 1 && (e & PDE_SW_PTSHARED) &&
		    (!pde_is_shared(e) || (e & PTE_RW) ||
		     !frame_of(PTE_ADDR(e))->rmap)) {
			fail(c, "bad PD entry at a shared table", PTE_ADDR(e), va, e);
			continue;
		}
		if (level == 1 && pde_is_shared(e) && ptshare_key(e) != mm)
			continue;
		if (level > 0) {
			if ((e & PTE_P) && !(e & PTE_PS))
				check_tables(c, mm, table_of(PTE_ADDR(e)), level - 1,
					     va, zero);
			continue;
		}
		if (!PTE_HOLDS_FRAME(e) || PTE_ADDR(e) == zero)
			continue;
		f = frame_of(PTE_ADDR(e));
		if (f->state != FRAME_ANON && f->state != FRAME_FILE)
			fail(c, "user PTE maps a frame that is not anon/file",
			     PTE_ADDR(e), va, f->state);
		else if (!listed(f, mm, va))
			fail(c, "PTE without rmap item", PTE_ADDR(e), va,
			     (uint64_t)mm->pid);
	}
}

/*
 * Debug check of the whole reverse mapping: for every frame in use, its
 * rmap items number exactly its mapcount, are distinct, belong to live
 * address spaces and name a PTE that maps the frame; frames user PTEs
 * cannot map have no items, but for leaf tables shared after fork,
 * whose items (their sharers) agree with the sharers' PD entries; and every user PTE of every address space
 * (zero page aside) is listed on its frame.  So items and PTEs match
 * one to one.  Returns true, or false with the first problem in why.
 * Costs a walk of every frame and every page table: tests and debug
 * dumps only.
 */
bool mm_rmap_check(char *why, size_t len)
{
	struct check c = { .ok = true };
	uint64_t i, zero = mm_zero_page();
	struct mm *mm;

	tbuf_init(&c.b, why, len);
	for (i = 0; i < frame_nframes && c.ok; i++) {
		struct frame *f = &frame_table[i];
		const struct rmap_item *it, *o;
		uint64_t pa = i << PAGE_SHIFT;
		uint32_t n = 0;

		if (f->state == FRAME_FREE)
			continue;
		if (f->state == FRAME_PAGETABLE) {
			const char *bad = ptshare_check_table(pa);

			if (bad)
				fail(&c, bad, pa, f->refcount, 0);
			continue;
		}
		if (f->state != FRAME_ANON && f->state != FRAME_FILE) {
			if (f->rmap && f->state != FRAME_ZERO)
				fail(&c, "rmap on a frame users cannot map", pa,
				     f->state, 0);
			else if (f->rmap)
				fail(&c, "rmap on the zero page", pa, 0, 0);
			continue;
		}
		for (it = f->rmap; it && c.ok; it = it->next) {
			uint64_t pte;

			if (++n > f->mapcount)
				break;
			if (!mm_alive(it->mm)) {
				fail(&c, "rmap item of a dead mm", pa, it->va, 0);
				break;
			}
			pte = leaf_of(it->mm, it->va);
			if (!PTE_HOLDS_FRAME(pte) || PTE_ADDR(pte) != pa)
				fail(&c, "rmap item whose PTE maps something else",
				     pa, it->va, pte);
			for (o = f->rmap; o != it; o = o->next)
				if (o->mm == it->mm && o->va == it->va)
					fail(&c, "duplicate rmap item", pa, it->va, 0);
		}
		if (c.ok && n != f->mapcount)
			fail(&c, "rmap items != mapcount", pa, n, f->mapcount);
		if (c.ok && f->refcount < f->mapcount)
			fail(&c, "refcount < mapcount", pa, f->refcount, f->mapcount);
	}
	for (mm = mm_all; mm && c.ok; mm = mm->all_next)
		check_tables(&c, mm, table_of(mm->root), PT_LEVELS - 1, 0, zero);
	if (c.ok && len)
		why[0] = '\0';
	return c.ok;
}
