/*
 * pgtable.c: 4-level page tables for the user half of an address space.
 *
 * Every table page is a FRAME_PAGETABLE frame whose descriptor "count" is
 * the number of non-zero entries in it (present, or holding a frame while
 * PROT_NONE).  Unmapping the last entry of a table frees the table and
 * clears its entry in the parent, up to (not including) the PML4.  The
 * kernel half (PML4 slots 256..511) of every root is a copy of the kernel
 * root's entries, so all address spaces share the kernel's PDPTs; those
 * copied entries are not counted and never freed here.
 */
#include <stdbool.h>
#include <stddef.h>
#include "pgtable.h"
#include "pgtable_impl.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "vmstat.h"

static uint64_t kernel_root;
struct pt_leaf_cache pt_leaf_cache = { .root = PT_LEAF_NONE };

/* THE TLB RULE (pte_needs_flush) is in pgtable.h, pt_set in
 * pgtable_impl.h. */

/*
 * The invalidations one operation owes (struct pt_flush, pgtable.h).
 * Changes to entries of the same page (a leaf and the table entries
 * above it) share one INVLPG, which also drops the paging-structure
 * caches; a change to another page issues the previous one.  Big ranges
 * defer everything to one full flush.  flush_finish settles the debt
 * before the operation returns.
 */

static void flush_page(uint64_t root, uint64_t va)
{
	env_tlb_flush_page(root, va);
	vmstat_inc(VMSTAT_TLB_FLUSH_PAGE);
}


void pt_flush_note(struct pt_flush *fl, uint64_t va, bool leaf)
{
	if (fl->defer_all) {
		fl->pending_all = true;
		return;
	}
	/* Any INVLPG drops all paging-structure caches (SDM 4.10.4.1): a
	 * table entry needs no INVLPG of its own when one is owed anyway. */
	if (!leaf && fl->pending_page)
		return;
	va = PG_ROUND_DOWN(va);
	if (fl->pending_page && fl->page != va)
		flush_page(fl->root, fl->page);
	fl->pending_page = true;
	fl->page = va;
}

static void flush_finish(struct pt_flush *fl)
{
	if (fl->pending_all) {
		env_tlb_flush_all(fl->root);
		vmstat_inc(VMSTAT_TLB_FLUSH_ALL);
	} else if (fl->pending_page) {
		flush_page(fl->root, fl->page);
	}
	fl->pending_all = fl->pending_page = false;
}

/* Settle a batch that spans several calls (pt_copy_range). */
void pt_flush_finish(struct pt_flush *fl)
{
	flush_finish(fl);
}

/*
 * Change the leaf entry *ptep (from pt_walk on root, for va) to pte,
 * invalidating the TLB as the rule above requires.  The caller owns the
 * frame bookkeeping of the old and new values.  Returns the old value.
 */
uint64_t pt_update(uint64_t root, uint64_t va, uint64_t *ptep, uint64_t pte)
{
	struct pt_flush fl = { .root = root };
	uint64_t old = pt_set(&fl, va, ptep, pte, true);

	flush_finish(&fl);
	return old;
}

/* Register the kernel's PML4: its slots 256..511 are copied into every
 * root made by pt_alloc_root. */
void pt_set_kernel_root(uint64_t root_pa)
{
	kernel_root = root_pa;
	pt_leaf_forget();
}

uint64_t pt_kernel_root(void)
{
	return kernel_root;
}

/* A new, empty PML4 sharing the kernel half; returns its pa or 0. */
uint64_t pt_alloc_root(void)
{
	uint64_t pa = frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED);
	uint64_t *t, *k;
	int i;

	if (!pa)
		return 0;
	vmstat_inc(VMSTAT_PT_ALLOC);
	if (kernel_root) {
		t = table_of(pa);
		k = table_of(kernel_root);
		for (i = PT_USER_SLOTS; i < PT_ENTRIES; i++)
			t[i] = k[i];
	}
	return pa;
}

uint64_t pt_table_flags(uint64_t va)
{
	return va < USER_END ? (PTE_P | PTE_RW | PTE_US) : (PTE_P | PTE_RW);
}

/*
 * Find the entry for va at leaf_level, allocating missing tables above it
 * when alloc is set.  Returns NULL when a table is missing (alloc unset),
 * when no frame is left (tables allocated by this call are given back),
 * when a large page sits above leaf_level, or when the leaf table is
 * shared (ptshare.h: never written; *err says which).
 */
static uint64_t *walk(uint64_t root, uint64_t va, int leaf_level, bool alloc,
		      int *err)
{
	uint64_t fresh[PT_LEVELS], *link[PT_LEVELS], *t = table_of(root), *e;
	struct pt_flush fl = { .root = root };
	int level, nfresh = 0;

	for (level = PT_LEVELS - 1; level > leaf_level; level--) {
		uint64_t pa;

		e = &t[PX(level, va)];
		if (*e & PTE_PS) {
			*err = -MM_EEXIST;
			goto undo;
		}
		if (level == 1 && (*e & PDE_SW_PTSHARED)) {
			*err = -MM_EBUSY;       /* unshare it first (ptshare.h) */
			goto undo;
		}
		if (!(*e & PTE_P)) {
			*err = -MM_ENOMEM;
			if (!alloc)
				return NULL;
			pa = frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED);
			if (!pa)
				goto undo;
			vmstat_inc(VMSTAT_PT_ALLOC);
			fresh[nfresh] = pa;
			link[nfresh++] = e;
			pt_set(&fl, va, e, pa | pt_table_flags(va), false);
		}
		t = table_of(PTE_ADDR(*e));
	}
	return &t[PX(leaf_level, va)];

undo:
	/* Tables made by this call are still empty: unlink, deepest first. */
	pt_leaf_forget();
	while (nfresh--) {
		pt_set(&fl, va, link[nfresh], 0, false);
		frame_free_zeroed(fresh[nfresh]);
		vmstat_inc(VMSTAT_PT_FREE);
	}
	flush_finish(&fl);
	return NULL;
}

/*
 * Map the 4 KiB page at va to frame pa with flags (PTE_P is added).
 * Missing tables are allocated.  The entry must be empty.  Returns 0,
 * -MM_ENOMEM (nothing changed), -MM_EEXIST (already mapped, or inside a
 * large page).  No TLB work: the entry was not present.
 */
int pt_map(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	struct pt_flush fl = { .root = root };
	int err = 0;
	uint64_t *e = walk(root, va, 0, true, &err);

	if (!e)
		return err;
	if (*e)
		return -MM_EEXIST;
	pt_set(&fl, va, e, PTE_ADDR(pa) | PTE_FLAGS(flags) | PTE_P, true);
	flush_finish(&fl);              /* nothing owed: the entry was empty */
	return 0;
}

/* As pt_map for a 2 MiB page at the PD level (va, pa 2 MiB aligned); for
 * the kernel's direct map. */
int pt_map_large(uint64_t root, uint64_t va, uint64_t pa, uint64_t flags)
{
	struct pt_flush fl = { .root = root };
	int err = 0;
	uint64_t *e;

	if ((va | pa) & (HUGE_PAGE_SIZE - 1))
		return -MM_EINVAL;
	e = walk(root, va, 1, true, &err);
	if (!e)
		return err;
	if (*e)
		return -MM_EEXIST;
	pt_set(&fl, va, e, (pa & PTE_LARGE_ADDR_MASK) | PTE_FLAGS(flags) |
	       PTE_P | PTE_PS, true);
	flush_finish(&fl);
	return 0;
}

/* pt_walk_alloc (pgtable.h) when va is not in the cached leaf table:
 * walk, allocating what is missing, and cache the leaf table. */
struct pt_slot pt_walk_alloc_miss(uint64_t root, uint64_t va)
{
	uint64_t *ptep = pt_walk_fast(root, va);

	if (!ptep)
		ptep = pt_walk_alloc_slow(root, va);
	if (!ptep)
		return (struct pt_slot){ NULL, NULL };
	pt_leaf_cache.root = root;
	pt_leaf_cache.region = va >> PT_SHIFT(1);
	pt_leaf_cache.table = ptep - PX(0, va);
	pt_leaf_cache.frame = frame_of_known(frame_v2p(ptep));
	return pt_leaf_slot(va);
}

/* pt_walk_alloc_miss when a table is missing, or a large
 * page is in the way: the full walk, allocating. */
uint64_t *pt_walk_alloc_slow(uint64_t root, uint64_t va)
{
	int err = 0;

	return walk(root, va, 0, true, &err);
}

/*
 * The entry that maps va: the PT entry (*level = 0), or the PD entry of a
 * 2 MiB page (*level = 1).  NULL when a table on the way is missing.  The
 * entry itself may be empty.
 */
uint64_t *pt_walk(uint64_t root, uint64_t va, int *level)
{
	uint64_t *t = table_of(root);
	int l;

	for (l = PT_LEVELS - 1; l > 0; l--) {
		uint64_t e = t[PX(l, va)];

		if (!(e & PTE_P))
			return NULL;
		if (e & PTE_PS) {
			if (l != 1)
				env_panic("pt_walk: PS at level %d for %lx", l, va);
			*level = 1;
			return &t[PX(1, va)];
		}
		t = table_of(PTE_ADDR(e));
	}
	*level = 0;
	return &t[PX(0, va)];
}

uint64_t pt_leaf_pte(uint64_t root, uint64_t va)
{
	int level;
	uint64_t *e = pt_walk(root, va, &level);

	return e && level == 0 ? *e : 0;
}

/* *pe points to a table one of whose entries was just cleared: free that
 * table and clear *pe if it became empty.  Returns true if freed. */
bool pt_release_if_empty(struct pt_flush *fl, uint64_t va, uint64_t *pe)
{
	uint64_t tpa = PTE_ADDR(*pe);

	if (frame_of(tpa)->count)
		return false;
	pt_leaf_forget();
	pt_set(fl, va, pe, 0, false);
	frame_free_zeroed(tpa);
	vmstat_inc(VMSTAT_PT_FREE);
	return true;
}

int pt_move(uint64_t root, uint64_t from, uint64_t to)
{
	struct pt_flush fl = { .root = root };
	int level, err = 0;
	uint64_t *src = pt_walk(root, from, &level), *dst, val;

	if (!src || level != 0 || !*src)
		return 0;
	val = *src;
	dst = walk(root, to, 0, true, &err);    /* may add tables, never
						   moves or frees one */
	if (!dst)
		return err;
	if (*dst)
		return -MM_EEXIST;
	/* the new entry first: clearing the old one may free its table,
	 * which is the new one's too when both lie in it */
	pt_set(&fl, to, dst, val, true);
	flush_finish(&fl);              /* the entry was empty: nothing owed */
	pt_unmap(root, from);
	return 1;
}

/*
 * Clear the 4 KiB user mapping of va, flush it, free tables that became
 * empty.  Returns the old PTE (0 if there was none); the caller releases
 * its frame.
 */
uint64_t pt_unmap(uint64_t root, uint64_t va)
{
	struct pt_flush fl = { .root = root };
	uint64_t *path[PT_LEVELS], *t = table_of(root), old;
	int l;

	if (va >= USER_END)
		env_panic("pt_unmap: %lx is not a user address", va);
	for (l = PT_LEVELS - 1; l > 0; l--) {
		path[l] = &t[PX(l, va)];
		if (!(*path[l] & PTE_P))
			return 0;
		if (*path[l] & PTE_PS)
			env_panic("pt_unmap: large page at %lx", va);
		if (*path[l] & PDE_SW_PTSHARED)
			env_panic("pt_unmap: %lx is under a shared table", va);
		t = table_of(PTE_ADDR(*path[l]));
	}
	old = pt_set(&fl, va, &t[PX(0, va)], 0, true);
	for (l = 1; l < PT_LEVELS && old; l++)
		if (!pt_release_if_empty(&fl, va, path[l]))
			break;
	flush_finish(&fl);
	return old;
}

/* Set and clear flag bits of va's 4 KiB leaf.  Returns 0, or -MM_EFAULT
 * when va is not mapped. */
int pt_protect(uint64_t root, uint64_t va, uint64_t set, uint64_t clear)
{
	int level;
	uint64_t *e = pt_walk(root, va, &level);

	if (!e || !*e || level)
		return -MM_EFAULT;
	if (!pt_walk_fast(root, va))
		env_panic("pt_protect: %lx is under a shared table", va);
	pt_update(root, va, e, (*e | PTE_FLAGS(set)) & ~PTE_FLAGS(clear));
	return 0;
}

struct apply_ctx {
	struct pt_flush fl;
	pt_apply_fn fn;
	void *arg;
};

static void apply_level(struct apply_ctx *c, uint64_t *t, int level,
			uint64_t start, uint64_t end)
{
	uint64_t va, next;

	for (va = start; va < end; va = next) {
		uint64_t *e = &t[PX(level, va)];

		next = (va | (PT_LEVEL_SIZE(level) - 1)) + 1;
		if (next > end)
			next = end;
		if (level == 0) {
			uint64_t new;

			if (!*e)
				continue;
			new = c->fn(c->arg, va, *e);
			if (new != *e)
				pt_set(&c->fl, va, e, new, true);
			continue;
		}
		if (!(*e & PTE_P))
			continue;
		if (*e & PTE_PS)
			env_panic("pt_apply_range: large page at %lx", va);
		if (*e & PDE_SW_PTSHARED)
			env_panic("pt_apply_range: %lx is under a shared table", va);
		apply_level(c, table_of(PTE_ADDR(*e)), level - 1, va, next);
		pt_release_if_empty(&c->fl, va, e);
	}
}

static void read_level(const uint64_t *t, int level, uint64_t start,
		       uint64_t end, pt_read_fn fn, void *arg)
{
	uint64_t va, next;

	for (va = start; va < end; va = next) {
		uint64_t e = t[PX(level, va)];

		next = (va | (PT_LEVEL_SIZE(level) - 1)) + 1;
		if (next > end)
			next = end;
		if (level == 0) {
			if (e)
				fn(arg, va, e);
		} else if ((e & PTE_P) && !(e & PTE_PS)) {
			read_level(table_of(PTE_ADDR(e)), level - 1, va, next,
				   fn, arg);
		}
	}
}

void pt_read_range(uint64_t root, uint64_t start, uint64_t end,
		   pt_read_fn fn, void *arg)
{
	if (end > USER_END || start > end || !PG_ALIGNED(start | end))
		env_panic("pt_read_range: bad range %lx-%lx", start, end);
	read_level(table_of(root), PT_LEVELS - 1, start, end, fn, arg);
}

/*
 * Call fn on every non-zero leaf PTE of [start, end) (user half, page
 * aligned) and store what it returns, skipping absent subtrees.  Tables
 * that become empty are freed.  Invalidations follow the TLB rule, one
 * INVLPG per page for small ranges and a single full flush for ranges
 * over PT_FLUSH_ALL_PAGES; either way they are done before returning.
 * fn may release the old frame at once: on this uniprocessor kernel
 * nothing can reach it through a stale entry before the flush.
 */
void pt_apply_range(uint64_t root, uint64_t start, uint64_t end,
		    pt_apply_fn fn, void *arg)
{
	struct apply_ctx c = { .fl = { .root = root }, .fn = fn, .arg = arg };

	if (end > USER_END || start > end || !PG_ALIGNED(start | end))
		env_panic("pt_apply_range: bad range %lx-%lx", start, end);
	c.fl.defer_all = (end - start) / PAGE_SIZE > PT_FLUSH_ALL_PAGES;
	apply_level(&c, table_of(root), PT_LEVELS - 1, start, end);
	flush_finish(&c.fl);
}

static void destroy_level(uint64_t *t, int level, uint64_t base)
{
	int i;

	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = t[i], va = base + ((uint64_t)i << PT_SHIFT(level));

		if (!e)
			continue;
		if (level == 0 || (e & (PTE_PS | PDE_SW_PTSHARED)) || !(e & PTE_P))
			env_panic("pt_destroy: %lx still maps %lx", va, e);
		destroy_level(table_of(PTE_ADDR(e)), level - 1, va);
		frame_free(PTE_ADDR(e));
		vmstat_inc(VMSTAT_PT_FREE);
	}
}

/*
 * Free root and every user-half table under it.  The caller has already
 * unmapped every user page (a leaf still holding a frame panics) and root
 * is not loaded in CR3.  The shared kernel half is left alone.
 */
void pt_destroy(uint64_t root)
{
	uint64_t *t = table_of(root);
	int i;

	if (root == kernel_root)
		env_panic("pt_destroy: the kernel root %lx", root);
	pt_leaf_forget();
	for (i = 0; i < PT_USER_SLOTS && frame_of(root)->count; i++) {
		uint64_t e = t[i];

		if (!e)
			continue;
		if (!(e & PTE_P) || (e & PTE_PS))
			env_panic("pt_destroy: bad PML4 entry %d = %lx", i, e);
		destroy_level(table_of(PTE_ADDR(e)), PT_LEVELS - 2,
			      (uint64_t)i << PT_SHIFT(PT_LEVELS - 1));
		frame_free(PTE_ADDR(e));
		vmstat_inc(VMSTAT_PT_FREE);
		t[i] = 0;
		frame_of(root)->count--;
	}
	frame_free(root);
	vmstat_inc(VMSTAT_PT_FREE);
}
