/*
 * ptshare.c: leaf page tables shared between address spaces after fork.
 *
 * DESIGN.  A fork that copied every PTE would cost per page.  Instead
 * (as On-demand-fork, EuroSys 2021) mm_fork gives the child the parent's
 * leaf tables (PTs) themselves: the child's PD entry points at the
 * parent's PT, and both PD entries lose RW and carry PDE_SW_PTSHARED
 * (pte.h).  The PTEs are not touched, so a fork costs per 2 MiB of
 * mapped address space.  Rights are the AND of every level of the walk
 * (SDM 4.6), so with RW clear in the PD entry no sharer can write a page
 * under the table, whatever its PTE says; reads go through.
 *
 * A shared table is never written again (the MMU's accessed bits
 * aside).  Whatever would change an entry under it first makes the mm
 * leave the share:
 *   - unshare: the mm gets a copy of the table, made exactly as a fork
 *     without sharing makes one (fork_copy_table): each frame gains a
 *     reference, a map count and an rmap item, and private entries
 *     become read-only + PTE_SW_COW in both tables.  Then the change
 *     proceeds as before: a write fault finds an ordinary COW page.
 *     Used by faults (any: even filling an empty entry would show in
 *     every sharer), mprotect, mremap, region copy, and munmap of part
 *     of a table;
 *   - detach: when the whole 2 MiB goes (munmap over it, exit), the mm
 *     just clears its PD entry and drops its share: no per-page work.
 * When one sharer is left the table is private again: its PD entry gets
 * RW back and loses the mark.
 *
 * BOOKKEEPING.  The table's descriptor (struct frame) keeps
 *   refcount  the number of address spaces sharing it (1: private),
 *   rmap      one rmap item (mm, 2 MiB base) per sharer, NULL if private.
 * The first item is the key sharer.  The frames under a shared table
 * keep one rmap item and one map count per PTE, as under a private one,
 * and those items name the key, whose rss and nr_zero count the pages;
 * the other sharers ride along.  "Who maps frame F" (mm_rmap_walk)
 * expands an item under a shared table into every sharer.  When the key
 * leaves, the next sharer becomes the key and takes the items and the
 * counts over (rekey, one pass over the table).  mm->nr_ptshared counts
 * an mm's shared PD entries, so that a range operation of an mm that
 * shares nothing costs one compare here.
 *
 * TLB.  The TLB caches the AND of the levels, per page.
 *   share:    the parent's PD entry loses RW: a flush (fork batches it);
 *   unshare:  the leaving mm's PD entry moves to a copy that maps the
 *             same frames with no more rights than the shared table gave
 *             (read-only): by THE TLB RULE (pgtable.h) nothing stale can
 *             grant more, but the entry's address changed, so the rule
 *             owes an invalidation, done as one full flush (the COW
 *             marking of the copy's source entries is many changes);
 *             the entries of the shared table lose RW while the others
 *             still reach it, which owes them nothing: their effective
 *             rights were read-only already;
 *   detach:   a PD entry whose table still maps frames is cleared: the
 *             TLB may hold any page of its 2 MiB, so a full flush (an
 *             INVLPG drops one page and the paging-structure caches);
 *   private again: RW raised in a PD entry: nothing owed.
 */
#include <stddef.h>
#include "ptshare.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "mm.h"
#include "pgtable_impl.h"
#include "vmstat.h"

#define PT_SPAN PT_LEVEL_SIZE(1)        /* what one leaf table maps */

bool ptshare_enabled = true;

/* mm's PD entry for va, or NULL when the PDPT or PD is missing. */
static uint64_t *pd_entry(struct mm *mm, uint64_t va)
{
	return pt_pd_entry(mm->root, va);
}

int ptshare_share(struct mm *parent, uint64_t *pde, struct mm *child,
		  uint64_t *cde, uint64_t va, struct pt_flush *fl)
{
	struct frame *t = frame_of(PTE_ADDR(*pde));
	uint64_t base = va & ~(PT_SPAN - 1);
	struct rmap_item *key, *it = rmap_alloc();

	if (!it)
		return -MM_ENOMEM;
	if (!pde_is_shared(*pde)) {
		key = rmap_alloc();
		if (!key) {
			rmap_free(it);
			return -MM_ENOMEM;
		}
		key->mm = parent;
		key->va = base;
		key->next = NULL;
		t->rmap = key;
		pt_set(fl, base, pde, (*pde & ~PTE_RW) | PDE_SW_PTSHARED, false);
		parent->nr_ptshared++;
		pt_leaf_forget();       /* the fault walk's cache may hold it */
		vmstat_inc(VMSTAT_PT_SHARE);
	}
	it->mm = child;                 /* after the key */
	it->va = base;
	it->next = t->rmap->next;
	t->rmap->next = it;
	t->refcount++;
	pt_set(fl, base, cde, *pde, false);     /* was empty: nothing owed */
	child->nr_ptshared++;
	return 0;
}

/* The items and counts of the frames under table t (base) move from the
 * key "from" to "to". */
static void rekey(uint64_t *t, uint64_t base, struct mm *from, struct mm *to)
{
	for (uint64_t i = 0; i < PT_ENTRIES; i++) {
		uint64_t pte = t[i], va = base + (i << PAGE_SHIFT);
		struct frame *f;

		if (!pte)
			continue;
		if (pte & PTE_SW_ZERO) {
			from->nr_zero--;
			to->nr_zero++;
			continue;
		}
		f = frame_of(PTE_ADDR(pte));
		rmap_link(rmap_unlink(f, from, va), f, to, va);
		from->rss--;
		to->rss++;
	}
}

/* Take mm's sharer item off table t (at base), handing the key to the
 * next sharer first if mm holds it.  Returns the item. */
static struct rmap_item *leave(struct frame *t, struct mm *mm, uint64_t base)
{
	struct rmap_item **pp, *it;

	if (t->refcount < 2 || !t->rmap || !t->rmap->next)
		env_panic("ptshare: table %lx at %lx has %u sharers",
			  frame_pa(t), base, t->refcount);
	if (t->rmap->mm == mm)
		rekey(frame_p2v(frame_pa(t)), base, mm, t->rmap->next->mm);
	for (pp = &t->rmap; (it = *pp); pp = &it->next) {
		if (it->mm == mm && it->va == base) {
			*pp = it->next;
			t->refcount--;
			mm->nr_ptshared--;
			return it;
		}
	}
	env_panic("ptshare: pid %d is no sharer of table %lx at %lx", mm->pid,
		  frame_pa(t), base);
}

/* Undo leave: mm shares table t again, as a rider. */
static void rejoin(struct frame *t, struct mm *mm, struct rmap_item *it)
{
	it->next = t->rmap->next;
	t->rmap->next = it;
	t->refcount++;
	mm->nr_ptshared++;
}

/* One sharer left on t: the table is its own again (RW back in its PD
 * entry, a raise: nothing owed to the TLB). */
static void settle(struct frame *t)
{
	struct rmap_item *it = t->rmap;
	uint64_t *pde;

	if (t->refcount != 1)
		return;
	pde = pd_entry(it->mm, it->va);
	if (!pde || PTE_ADDR(*pde) != frame_pa(t) || !pde_is_shared(*pde))
		env_panic("ptshare: pid %d's PD entry for %lx is not table %lx",
			  it->mm->pid, it->va, frame_pa(t));
	*pde = (*pde | PTE_RW) & ~PDE_SW_PTSHARED;
	it->mm->nr_ptshared--;
	t->rmap = NULL;
	rmap_free(it);
}

/* mm's share of the table at its PD entry *pde (base) ends; the entry is
 * cleared and the TLB flushed. */
static void detach(struct mm *mm, uint64_t *pde, uint64_t base)
{
	struct pt_flush fl = PT_FLUSH_BATCH(mm->root);
	struct frame *t = frame_of(PTE_ADDR(*pde));

	rmap_free(leave(t, mm, base));
	pt_set(&fl, base, pde, 0, false);
	pt_flush_finish(&fl);
	settle(t);
	vmstat_inc(VMSTAT_PT_DETACH);
}

/* mm gets its own copy of the shared table at its PD entry *pde (base). */
static int unshare(struct mm *mm, uint64_t *pde, uint64_t base)
{
	struct pt_flush fl = PT_FLUSH_BATCH(mm->root);
	uint64_t shared = *pde;
	struct frame *t = frame_of(PTE_ADDR(shared));
	struct rmap_item *it = leave(t, mm, base);
	int r;

	pt_set(&fl, base, pde, 0, false);
	r = fork_copy_table(mm, table_of(PTE_ADDR(shared)), pde, base, &fl);
	pt_flush_finish(&fl);
	if (r) {
		/* give back what the partial copy took, then share again; the
		 * PD itself is held meanwhile (its entry is empty during the
		 * zap, which would free an emptied PD, and its PDPT) */
		struct frame *pd = frame_of(frame_v2p(pde));

		pd->count++;
		mm_zap_range(mm, base, base + PT_SPAN);
		if (*pde)
			env_panic("ptshare: partial copy at %lx not freed", base);
		pt_set(&fl, base, pde, shared, false);
		pd->count--;
		rejoin(t, mm, it);
		return r;
	}
	rmap_free(it);
	settle(t);
	vmstat_inc(VMSTAT_PT_UNSHARE);
	return 0;
}

/* mm_unshare_range below table t (level > 0) for [start, end) of the
 * whole range [lo, hi): unshare the tables the range covers in part
 * (!whole), or drop those it covers whole (whole). */
static int unshare_level(struct mm *mm, uint64_t *t, int level,
			 uint64_t start, uint64_t end, uint64_t lo,
			 uint64_t hi, bool dropping, bool whole)
{
	uint64_t va, next;
	int r;

	for (va = start; va < end && mm->nr_ptshared; va = next) {
		uint64_t *e = &t[PX(level, va)], base;

		next = (va | (PT_LEVEL_SIZE(level) - 1)) + 1;
		if (next > end)
			next = end;
		if (!pt_entry_is_table(*e))
			continue;
		if (level > 1) {
			r = unshare_level(mm, table_of(PTE_ADDR(*e)), level - 1,
					  va, next, lo, hi, dropping, whole);
			if (r)
				return r;
			continue;
		}
		if (!pde_is_shared(*e))
			continue;
		base = va & ~(PT_SPAN - 1);
		if (dropping && lo <= base && base + PT_SPAN <= hi) {
			if (whole)
				detach(mm, e, base);
		} else if (!whole) {
			r = unshare(mm, e, base);
			if (r)
				return r;
		}
	}
	return 0;
}

int mm_unshare_range(struct mm *mm, uint64_t start, uint64_t end,
		     bool dropping)
{
	int r;

	if (!mm->nr_ptshared || start >= end)
		return 0;
	/* everything that can fail first: a detach drops pages, which an
	 * -MM_ENOMEM after it must not have done */
	r = unshare_level(mm, table_of(mm->root), PT_LEVELS - 1, start, end,
			  start, end, dropping, false);
	if (!r && dropping)
		r = unshare_level(mm, table_of(mm->root), PT_LEVELS - 1, start,
				  end, start, end, dropping, true);
	return r;
}

int ptshare_unshare_frame(uint64_t pa)
{
	struct rmap_item *it;
	uint64_t *pde;
	int r;

	/* each unshare may rekey the items to another sharer: scan again */
again:
	for (it = frame_of(pa)->rmap; it; it = it->next) {
		if (!it->mm->nr_ptshared)
			continue;
		pde = pd_entry(it->mm, it->va);
		if (pde && pde_is_shared(*pde)) {
			r = unshare(it->mm, pde, it->va & ~(PT_SPAN - 1));
			if (r)
				return r;
			goto again;
		}
	}
	return 0;
}

int ptshare_unshare_at(struct mm *mm, uint64_t va)
{
	uint64_t *pde;
	int r;

	if (!mm->nr_ptshared)
		return 0;
	pde = pd_entry(mm, va);
	if (!pde || !pde_is_shared(*pde))
		return 0;
	r = unshare(mm, pde, va & ~(PT_SPAN - 1));
	return r ? r : 1;
}

void ptshare_detach_all(struct mm *mm)
{
	/* the whole user range: every table is dropped whole, none needs
	 * a copy, so the detaching pass alone (it stops at the last share) */
	if (mm->nr_ptshared &&
	    unshare_level(mm, table_of(mm->root), PT_LEVELS - 1, 0, USER_END,
			  0, USER_END, true, true))
		env_panic("ptshare_detach_all: pid %d", mm->pid);
	if (mm->nr_ptshared)
		env_panic("ptshare_detach_all: pid %d still shares %u tables",
			  mm->pid, mm->nr_ptshared);
}

struct mm *ptshare_key(uint64_t pde)
{
	return frame_of(PTE_ADDR(pde))->rmap->mm;
}

uint32_t ptshare_map_count(uint64_t pa)
{
	const struct frame *f = frame_of(pa);
	const struct rmap_item *it;
	uint32_t n = f->mapcount;
	uint64_t *pde;

	for (it = f->rmap; it; it = it->next) {
		if (!it->mm->nr_ptshared)
			continue;
		pde = pd_entry(it->mm, it->va);
		if (pde && pde_is_shared(*pde))
			n += frame_of(PTE_ADDR(*pde))->refcount - 1;
	}
	return n;
}

int ptshare_each_mapper(struct mm *mm, uint64_t va, mm_rmap_fn fn, void *arg)
{
	uint64_t *pde = mm->nr_ptshared ? pd_entry(mm, va) : NULL;
	const struct rmap_item *s;
	int r;

	if (!pde || !pde_is_shared(*pde))
		return fn(arg, mm, va);
	for (s = frame_of(PTE_ADDR(*pde))->rmap; s; s = s->next) {
		r = fn(arg, s->mm, va);
		if (r)
			return r;
	}
	return 0;
}

const char *ptshare_check_table(uint64_t pa)
{
	const struct frame *t = frame_of(pa);
	const struct rmap_item *s;
	uint32_t n = 0;

	for (s = t->rmap; s; s = s->next) {
		const struct mm *m;
		uint64_t *pde;

		for (m = mm_all; m && m != s->mm; m = m->all_next)
			;
		if (!m)
			return "sharer of a table is a dead mm";
		pde = pd_entry(s->mm, s->va);
		if (!pde || PTE_ADDR(*pde) != pa)
			return "sharer's PD entry does not point at the table";
		if (!pde_is_shared(*pde) || (*pde & PTE_RW))
			return "shared table reached through a writable or unmarked entry";
		n++;
	}
	if (n && (n < 2 || n != t->refcount))
		return "shared table's sharer count is off";
	return NULL;
}
