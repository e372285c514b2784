/*
 * test_mm_ptshare.c: leaf tables shared by fork (mm/ptshare.c) on the
 * simulated machine: what fork shares and what it does not, the copy a
 * sharer gets on its first change (fault, mprotect, mremap, region copy,
 * munmap of part of a table), the share dropped whole (munmap of the
 * whole table, madvise, exit), the key sharer handing over its items,
 * the TLB after each step (the software MMU's TLB must stay coherent),
 * the reverse map exact throughout (teardown), running out of memory in
 * the middle of an unshare or of an operation that drops pages, memfd
 * truncation under a shared table, and ptshare=0.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/mmap.h"
#include "mm/pagestat.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/region.h"
#include "mm/shmem.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_ptshare"
#define RW    (MM_PROT_READ | MM_PROT_WRITE)
#define PRIV  (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define SHRD  (MM_MAP_SHARED | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define PG    4096ULL
#define SPAN  (2ULL << 20)                  /* one leaf table's reach */

#define NPG   40
#define A     0x0000000010000000ULL         /* private, written: shared */
#define AZ    (A + 0x100000)                /* private, only read (zero) */
#define B     0x0000000010200000ULL         /* private, written: shared */
#define C     0x0000000010400000ULL         /* a MAP_SHARED VMA: copied */
#define X     0x0000000040000000ULL         /* alone in its PD (1 GiB) */

static struct mm *parent;
static uint64_t free0;
static char why[256];

static uint8_t pat(uint64_t va, uint8_t tag)
{
	return (uint8_t)(tag ^ (va >> 12) ^ (va >> 20));
}

static void write_pages(struct mm *mm, uint64_t base, int n, uint8_t tag)
{
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sim_user_write8(mm, base + i * PG + 5,
						 pat(base + i * PG, tag)), -1);
}

/* Every page of [base, base + n pages) reads as tag wrote it. */
static void expect_pages(struct mm *mm, uint64_t base, int n, uint8_t tag)
{
	for (int i = 0; i < n; i++) {
		uint8_t b = 0;

		ck_assert_int_eq(sim_user_read8(mm, base + i * PG + 5, &b), -1);
		ck_assert_msg(b == pat(base + i * PG, tag),
			      "pid %d %lx: %02x, want %02x", mm->pid,
			      (unsigned long)(base + i * PG), b,
			      pat(base + i * PG, tag));
	}
}

static void run(struct mm *mm)
{
	sim_cr3 = mm->root;
	sim_tlb_reset();
}

static void coherent(void)
{
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}

static void rmap_ok(void)
{
	ck_assert_msg(mm_rmap_check(why, sizeof(why)), "rmap: %s", why);
}

/* mm's PD entry for va (its tables exist). */
static uint64_t pde_of(struct mm *mm, uint64_t va)
{
	uint64_t e = ((uint64_t *)frame_p2v(mm->root))[PX(3, va)];

	e = ((uint64_t *)frame_p2v(PTE_ADDR(e)))[PX(2, va)];
	return ((uint64_t *)frame_p2v(PTE_ADDR(e)))[PX(1, va)];
}

static void expect_shared(struct mm *a, struct mm *b, uint64_t va)
{
	uint64_t ea = pde_of(a, va), eb = pde_of(b, va);

	ck_assert_msg(ea == eb && pde_is_shared(ea) && !(ea & PTE_RW),
		      "%lx: PD entries %lx / %lx, want one shared read-only",
		      (unsigned long)va, (unsigned long)ea, (unsigned long)eb);
}

static void expect_own(struct mm *a, struct mm *b, uint64_t va)
{
	uint64_t ea = pde_of(a, va), eb = b ? pde_of(b, va) : 0;

	ck_assert_msg(!(ea & PDE_SW_PTSHARED) && (ea & PTE_RW) &&
		      PTE_ADDR(ea) != PTE_ADDR(eb),
		      "%lx: pid %d's PD entry %lx (other %lx), want its own",
		      (unsigned long)va, a->pid, (unsigned long)ea,
		      (unsigned long)eb);
}

static struct mm *fork_of(struct mm *p, int pid)
{
	struct mm *c = mm_fork(p);

	ck_assert_ptr_nonnull(c);
	mm_set_owner(c, pid, "child");
	ck_assert_msg(sim_check_tables(c->root, why, sizeof(why), NULL), "%s",
		      why);
	coherent();
	rmap_ok();
	return c;
}

static void setup(void)
{
	uint8_t b;

	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	ptshare_enabled = true;
	free0 = frame_count_free();
	parent = mm_create();
	ck_assert_ptr_nonnull(parent);
	mm_set_owner(parent, 1, "parent");
	run(parent);
	ck_assert_int_eq(mm_mmap(parent, A, SPAN, RW, PRIV), (int64_t)A);
	ck_assert_int_eq(mm_mmap(parent, B, NPG * PG, RW, PRIV), (int64_t)B);
	ck_assert_int_eq(mm_mmap(parent, C, NPG * PG, RW, SHRD), (int64_t)C);
	write_pages(parent, A, NPG, 1);
	write_pages(parent, B, NPG, 1);
	write_pages(parent, C, NPG, 1);
	for (int i = 0; i < NPG; i++)
		ck_assert_int_eq(sim_user_read8(parent, AZ + i * PG, &b), -1);
	sim_reset_counters();
	vmstat_reset();
	/* the TLB now holds writable translations of the parent's pages */
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
	ptshare_enabled = true;
}

/* Fork shares the tables of A and B whole, touching no PTE and no frame
 * count; C's table (a MAP_SHARED VMA) is copied as before. */
START_TEST(fork_shares_leaf_tables)
{
	uint64_t pa = PTE_ADDR(sim_pte(parent->root, A));
	uint64_t before = sim_pte(parent->root, A), free1 = frame_count_free();
	struct mm *c = fork_of(parent, 2);

	expect_shared(parent, c, A);
	expect_shared(parent, c, B);
	expect_own(parent, c, C);
	ck_assert_uint_eq(sim_pte(parent->root, A), before);    /* still RW */
	ck_assert_uint_eq(frame_of(pa)->refcount, 1);
	ck_assert_uint_eq(frame_of(pa)->mapcount, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_SHARE), 2);
	ck_assert_uint_eq(frame_of(PTE_ADDR(pde_of(c, A)))->refcount, 2);
	/* the child's tables: PML4 page, PDPT, PD, C's PT; A's, B's none */
	ck_assert_uint_eq(free1 - frame_count_free(), 4);
	ck_assert_uint_eq(c->rss, NPG);         /* C's pages, copied */
	run(c);
	expect_pages(c, A, NPG, 1);
	expect_pages(c, B, NPG, 1);
	expect_pages(c, C, NPG, 1);
	coherent();
	/* nobody can write through a shared table: a write faults */
	ck_assert_int_eq(vmstat_get(VMSTAT_PT_UNSHARE), 0);
	mm_destroy(c);
}
END_TEST

static int record(void *arg, struct mm *mm, uint64_t va)
{
	int *pids = arg;

	(void)va;
	pids[mm->pid]++;
	return 0;
}

/* "Who maps F" names every sharer of the table mapping F. */
START_TEST(rmap_walk_names_every_sharer)
{
	struct mm *c = fork_of(parent, 2), *g = fork_of(c, 3);
	int pids[4] = { 0 };

	ck_assert_int_eq(mm_rmap_walk(PTE_ADDR(sim_pte(parent->root, A)),
				      record, pids), 0);
	ck_assert_int_eq(pids[1] + pids[2] * 10 + pids[3] * 100, 111);
	ck_assert_uint_eq(mm_rmap_count(PTE_ADDR(sim_pte(parent->root, A))), 1);
	mm_destroy(g);
	mm_destroy(c);
}
END_TEST

/* The first write under a shared table gives the writer its copy; the
 * last sharer gets RW back in its PD entry; both sides then COW. */
static void write_unshares(bool child_first)
{
	struct mm *c = fork_of(parent, 2);
	struct mm *w = child_first ? c : parent, *o = child_first ? parent : c;
	uint64_t pa1 = PTE_ADDR(sim_pte(parent->root, A + PG));

	run(w);
	write_pages(w, A, 1, 7);
	coherent();
	expect_own(w, o, A);
	expect_own(o, w, A);
	expect_shared(parent, c, B);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_UNSHARE), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	/* the pages not written are COW in both, as after a copying fork */
	ck_assert_uint_eq(sim_pte(w->root, A + PG) & (PTE_RW | PTE_SW_COW),
			  PTE_SW_COW);
	ck_assert_uint_eq(sim_pte(o->root, A + PG) & (PTE_RW | PTE_SW_COW),
			  PTE_SW_COW);
	ck_assert_uint_eq(frame_of(pa1)->refcount, 2);
	ck_assert_uint_eq(frame_of(pa1)->mapcount, 2);
	rmap_ok();
	expect_pages(w, A, 1, 7);
	expect_pages(w, A + PG, NPG - 1, 1);
	run(o);
	expect_pages(o, A, NPG, 1);
	write_pages(o, A + PG, 1, 9);           /* a COW copy, no unshare */
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_UNSHARE), 1);
	run(w);
	expect_pages(w, A + PG, 1, 1);
	coherent();
	mm_destroy(c);
	run(parent);
	write_pages(parent, A + 2 * PG, 1, 3);  /* sole owner: reuse */
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 1);
}

START_TEST(parent_write_unshares)
{
	write_unshares(false);
}
END_TEST

START_TEST(child_write_unshares)
{
	write_unshares(true);
}
END_TEST

/* A read fault under a shared table (here the zero page at a page never
 * touched) must not fill the shared table either. */
START_TEST(read_fault_unshares)
{
	struct mm *c = fork_of(parent, 2);
	uint8_t b = 1;

	run(c);
	ck_assert_int_eq(sim_user_read8(c, A + NPG * PG, &b), -1);
	ck_assert_int_eq(b, 0);
	expect_own(c, parent, A);
	ck_assert_uint_eq(sim_pte(parent->root, A + NPG * PG), 0);
	coherent();
	mm_destroy(c);
}
END_TEST

/* Three sharers; the key (the parent, whose items the frames carry)
 * leaves first: the next sharer takes the items and counts over. */
START_TEST(key_sharer_leaves)
{
	struct mm *c = fork_of(parent, 2), *g = fork_of(c, 3), *k, *r;
	uint64_t rss_c = c->rss, rss_g = g->rss;

	ck_assert_uint_eq(frame_of(PTE_ADDR(pde_of(g, A)))->refcount, 3);
	ck_assert_ptr_eq(ptshare_key(pde_of(g, A)), parent);
	write_pages(parent, A, 1, 5);           /* parent unshares A */
	expect_own(parent, c, A);
	expect_shared(c, g, A);
	k = ptshare_key(pde_of(g, A));
	ck_assert(k == c || k == g);
	r = k == c ? g : c;
	/* A's written pages and its zero-page entries moved to k's counts */
	ck_assert_uint_eq(k->rss, (k == c ? rss_c : rss_g) + NPG);
	ck_assert_uint_eq(r->rss, k == c ? rss_g : rss_c);
	ck_assert_uint_eq(k->nr_zero, (uint64_t)NPG);
	ck_assert_uint_eq(r->nr_zero, 0);
	rmap_ok();
	mm_destroy(k);                          /* the new key leaves */
	expect_own(r, parent, A);
	rmap_ok();
	run(r);
	expect_pages(r, A, NPG, 1);
	expect_pages(r, B, NPG, 1);
	run(parent);
	expect_pages(parent, A, 1, 5);
	mm_destroy(r);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_UNSHARE), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_DETACH), 3);  /* k: A, B; r: B */
}
END_TEST

/* Exit drops the shares without copying: no unshare, and the survivor's
 * pages are its own again, writable in place. */
START_TEST(exit_detaches)
{
	struct mm *c = fork_of(parent, 2);

	mm_destroy(c);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_UNSHARE), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_DETACH), 2);
	expect_own(parent, NULL, A);
	sim_reset_counters();
	write_pages(parent, A, NPG, 2);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 0);
	ck_assert_uint_eq(sim_copy_calls, 0);
	expect_pages(parent, A, NPG, 2);
}
END_TEST

/* munmap of a whole table's span detaches; of part of one, unshares.
 * The munmapping mm is the one loaded: its TLB must not keep any page
 * of the detached table (the software MMU's TLB would show it). */
START_TEST(munmap_detaches_or_unshares)
{
	struct mm *c = fork_of(parent, 2);
	uint8_t b;

	run(c);
	expect_pages(c, A, NPG, 1);             /* fill c's TLB */
	expect_pages(c, B, NPG, 1);
	ck_assert_int_eq(mm_munmap(c, A, SPAN), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_DETACH), 1);
	coherent();
	ck_assert_int_eq(sim_user_read8(c, A, &b), MM_FAULT_SEGV_MAPERR);
	ck_assert_int_eq(mm_munmap(c, B, PG), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_UNSHARE), 1);
	coherent();
	expect_pages(c, B + PG, NPG - 1, 1);
	expect_own(parent, c, A);
	expect_own(parent, c, B);
	run(parent);
	expect_pages(parent, A, NPG, 1);
	expect_pages(parent, B, NPG, 1);
	rmap_ok();
	mm_destroy(c);
}
END_TEST

/* mprotect, madvise, mremap and region copy each leave the mm its own
 * table before they change a PTE under it. */
START_TEST(range_operations_unshare)
{
	struct mm *c = fork_of(parent, 2), *d;

	run(c);
	ck_assert_int_eq(mm_mprotect(c, A, PG, MM_PROT_READ), 0);
	expect_own(c, parent, A);
	ck_assert_int_eq(mm_madvise(c, B, PG, MM_MADV_DONTNEED), 0);
	expect_own(c, parent, B);
	expect_pages(c, B + PG, NPG - 1, 1);
	rmap_ok();
	mm_destroy(c);

	c = fork_of(parent, 2);
	ck_assert_int_eq(mm_mremap(c, A, PG, PG, MM_MREMAP_MAYMOVE |
				   MM_MREMAP_FIXED, B + NPG * PG),
			 (int64_t)(B + NPG * PG));
	expect_own(c, parent, A);
	expect_own(c, parent, B);
	run(c);
	{
		uint8_t b = 0;

		ck_assert_int_eq(sim_user_read8(c, B + NPG * PG + 5, &b), -1);
		ck_assert_int_eq(b, pat(A, 1));         /* page A, moved */
	}
	rmap_ok();

	d = fork_of(parent, 3);
	ck_assert_int_eq(mm_region_copy(c, A + PG, PG, d, B), 0);
	expect_own(d, parent, B);
	expect_own(c, parent, A);
	rmap_ok();
	mm_destroy(d);
	mm_destroy(c);
	coherent();
}
END_TEST

/* No frame for the copy: the fault fails, the share stays as it was, and
 * the write succeeds once memory is back. */
START_TEST(unshare_out_of_memory)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t held[4096], n = 0, pa;

	while ((pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO)) != 0)
		held[n++] = pa;
	ck_assert_uint_lt(n, 4096);
	run(c);
	ck_assert_int_eq(sim_user_write8(c, A, 1), MM_FAULT_OOM);
	expect_shared(parent, c, A);
	rmap_ok();
	while (n)
		frame_free(held[--n]);
	write_pages(c, A, 1, 4);
	expect_own(c, parent, A);
	run(parent);
	expect_pages(parent, A, NPG, 1);
	mm_destroy(c);
}
END_TEST

/* Take every free frame; returns how many (give them back with
 * give_back). */
static uint64_t held[8192];

static uint64_t hold_all(uint64_t leave)
{
	uint64_t n = 0, pa;

	while (frame_count_free() > leave &&
	       (pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO)) != 0)
		held[n++] = pa;
	ck_assert_uint_lt(n, sizeof(held) / sizeof(held[0]));
	return n;
}

static void give_back(uint64_t n)
{
	while (n)
		frame_free(held[--n]);
}

/* The unshare's rollback, when its table is alone in its PD (and PDPT):
 * zapping the partial copy must not free the PD the shared entry goes
 * back into (found in review: the child then read zeros). */
START_TEST(unshare_out_of_memory_alone_in_pd)
{
	struct mm *c;
	uint64_t n;

	ck_assert_int_eq(mm_mmap(parent, X, 8 * PG, RW, PRIV), (int64_t)X);
	write_pages(parent, X, 8, 3);
	c = fork_of(parent, 2);
	n = hold_all(0);
	run(c);
	ck_assert_int_eq(sim_user_write8(c, X, 1), MM_FAULT_OOM);
	expect_shared(parent, c, X);
	ck_assert_msg(sim_check_tables(c->root, why, sizeof(why), NULL), "%s",
		      why);
	rmap_ok();
	give_back(n);
	expect_pages(c, X, 8, 3);
	mm_destroy(c);
}
END_TEST

/* A range operation that drops pages and runs out of memory: nothing may
 * have been dropped when it says -MM_ENOMEM (found in review: a table
 * wholly inside the range was detached before a partial one failed). */
static void dropping_fails_cleanly(int which)
{
	struct mm *c = fork_of(parent, 2);
	int64_t r;
	uint64_t n;

	run(c);
	n = hold_all(0);
	if (which == 0)
		r = mm_munmap(c, A, SPAN + PG);
	else if (which == 1)
		r = mm_mmap(c, A, SPAN + PG, RW, PRIV);
	else
		r = mm_madvise(c, A, SPAN + PG, MM_MADV_DONTNEED);
	ck_assert_int_eq(r, -MM_ENOMEM);
	give_back(n);
	expect_pages(c, A, NPG, 1);
	expect_pages(c, B, NPG, 1);
	rmap_ok();
	mm_destroy(c);
}

START_TEST(munmap_out_of_memory_drops_nothing)
{
	dropping_fails_cleanly(0);
}
END_TEST

START_TEST(mmap_fixed_out_of_memory_drops_nothing)
{
	dropping_fails_cleanly(1);
}
END_TEST

START_TEST(dontneed_out_of_memory_drops_nothing)
{
	dropping_fails_cleanly(2);
}
END_TEST

/* Region copy's memory check counts what its unsharing took (found in
 * review: it panicked "out of memory past its check").  Every amount of
 * free memory from none up must give 0 or -MM_ENOMEM. */
START_TEST(region_copy_short_of_memory)
{
	struct mm *c, *d;
	uint64_t n;
	int r = -MM_ENOMEM;

	for (uint64_t leave = 0; r == -MM_ENOMEM && leave < 100; leave++) {
		/* a fresh machine each time: no slab objects to spare */
		sim_fini();
		sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
		parent = mm_create();
		run(parent);
		ck_assert_int_eq(mm_mmap(parent, A, 2 * SPAN, RW, PRIV),
				 (int64_t)A);
		write_pages(parent, A, (int)(2 * SPAN / PG), 1);
		c = fork_of(parent, 2);
		d = fork_of(parent, 3);
		n = hold_all(leave);
		r = mm_region_copy(c, A + SPAN - PG + 1, 2 * PG, d,
				   A + SPAN - PG + 2);
		give_back(n);
		rmap_ok();
	}
	ck_assert_int_eq(r, 0);
}
END_TEST

/* Truncating a memfd whose page a forked process maps MAP_PRIVATE (read
 * only: the cache's frame) under a shared table zaps that mapping: the
 * table is unshared first (found in review: a panic). */
START_TEST(memfd_truncate_under_shared_table)
{
	struct mm_file *f = shmem_create("memfd");
	struct mm *c;
	uint8_t b;

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(shmem_truncate(f, 4 * PG), 0);
	ck_assert_int_eq(mm_mmap_file(parent, X, 4 * PG, MM_PROT_READ,
				      MM_MAP_PRIVATE | MM_MAP_FIXED, f, 0),
			 (int64_t)X);
	ck_assert_int_eq(sim_user_read8(parent, X, &b), -1);
	c = fork_of(parent, 2);
	expect_shared(parent, c, X);
	ck_assert_int_eq(shmem_truncate(f, 0), 0);
	ck_assert_uint_eq(sim_pte(parent->root, X), 0);
	ck_assert_uint_eq(sim_pte(c->root, X), 0);
	rmap_ok();
	mm_destroy(c);
}
END_TEST

/* What /proc shows counts every sharer: a page under a shared table is
 * not exclusive, and its PSS is split (found in review: both sharers
 * were shown the page as their own). */
START_TEST(proc_counts_every_sharer)
{
	struct mm_page_stats own = { 0 }, shared = { 0 };
	struct mm *c;

	mm_page_stats(parent, A, A + NPG * PG, &own);
	ck_assert(mm_pagemap_entry(parent, A) & PM_MMAP_EXCLUSIVE);
	c = fork_of(parent, 2);
	ck_assert(!(mm_pagemap_entry(parent, A) & PM_MMAP_EXCLUSIVE));
	ck_assert(!(mm_pagemap_entry(c, A) & PM_MMAP_EXCLUSIVE));
	mm_page_stats(c, A, A + NPG * PG, &shared);
	ck_assert_uint_eq(shared.pss * 2, own.pss);
	ck_assert_uint_eq(shared.private_dirty + shared.private_clean, 0);
	mm_destroy(c);
	ck_assert(mm_pagemap_entry(parent, A) & PM_MMAP_EXCLUSIVE);
}
END_TEST

/* ptshare=0: fork copies every table, as it did before sharing. */
START_TEST(ptshare_off_copies)
{
	struct mm *c;

	ptshare_enabled = false;
	c = fork_of(parent, 2);
	expect_own(c, parent, A);
	expect_own(c, parent, B);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_SHARE), 0);
	ck_assert_uint_eq(frame_of(PTE_ADDR(sim_pte(parent->root, A)))->refcount, 2);
	mm_destroy(c);
}
END_TEST

/* A shared table is never written: a walk that would is a bug (panic). */
START_TEST(writing_a_shared_table_panics)
{
	struct mm *c = fork_of(parent, 2);

	sim_expect_panic("under a shared table");
	mm_zap_range(c, A, A + PG);
}
END_TEST

/* Everything back: every frame free after both exit. */
START_TEST(nothing_leaks)
{
	struct mm *c = fork_of(parent, 2), *g = fork_of(c, 3);

	write_pages(c, B, 3, 6);
	mm_destroy(parent);
	parent = NULL;
	mm_destroy(g);
	mm_destroy(c);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "fork_shares_leaf_tables", fork_shares_leaf_tables, 0 },
		{ "rmap_walk_names_every_sharer", rmap_walk_names_every_sharer, 0 },
		{ "parent_write_unshares", parent_write_unshares, 0 },
		{ "child_write_unshares", child_write_unshares, 0 },
		{ "read_fault_unshares", read_fault_unshares, 0 },
		{ "key_sharer_leaves", key_sharer_leaves, 0 },
		{ "exit_detaches", exit_detaches, 0 },
		{ "munmap_detaches_or_unshares", munmap_detaches_or_unshares, 0 },
		{ "range_operations_unshare", range_operations_unshare, 0 },
		{ "unshare_out_of_memory", unshare_out_of_memory, 0 },
		{ "unshare_out_of_memory_alone_in_pd",
		  unshare_out_of_memory_alone_in_pd, 0 },
		{ "munmap_out_of_memory_drops_nothing",
		  munmap_out_of_memory_drops_nothing, 0 },
		{ "mmap_fixed_out_of_memory_drops_nothing",
		  mmap_fixed_out_of_memory_drops_nothing, 0 },
		{ "dontneed_out_of_memory_drops_nothing",
		  dontneed_out_of_memory_drops_nothing, 0 },
		{ "region_copy_short_of_memory", region_copy_short_of_memory, 0 },
		{ "memfd_truncate_under_shared_table",
		  memfd_truncate_under_shared_table, 0 },
		{ "proc_counts_every_sharer", proc_counts_every_sharer, 0 },
		{ "ptshare_off_copies", ptshare_off_copies, 0 },
		{ "writing_a_shared_table_panics", writing_a_shared_table_panics,
		  SIGABRT },
		{ "nothing_leaks", nothing_leaks, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
