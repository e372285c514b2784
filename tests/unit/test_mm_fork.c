/*
 * test_mm_fork.c: fork with copy-on-write (mm/fork.c) and the COW fault
 * (mm/fault.c) on the simulated machine: refcounts, mapcounts and PTE
 * flags in parent and child read with the software walker, the parent's
 * stale TLB entries, COW copy vs reuse, isolation and sharing seen
 * through the software MMU, exact frame accounting after munmap, madvise
 * and destroy, clean failure under memory pressure, nested forks.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/mmap.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_fork"
#define RW    (MM_PROT_READ | MM_PROT_WRITE)
#define PRIV  (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define SHRD  (MM_MAP_SHARED | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define PG    4096ULL

/* The parent's mappings, each NPG pages, with gaps between them. */
#define NPG   40                            /* > PT_FLUSH_ALL_PAGES */
#define TOUCH 0x0000000010000000ULL         /* private RW, written */
#define FRESH 0x0000000010100000ULL         /* private RW, never touched */
#define ZERO  0x0000000010200000ULL         /* private RW, only read */
#define RONLY 0x0000000010300000ULL         /* written, then PROT_READ */
#define SHARE 0x0000000010400000ULL         /* MAP_SHARED|ANON, written */
#define PNONE 0x0000000010500000ULL         /* written, then PROT_NONE */
#define FAR   0x00007f0000000000ULL         /* another PML4 slot, 1 page */

static struct mm *parent;
static uint64_t free0;
static char why[256];

/* Byte pattern of page i of a region, as written by its owner tag. */
static uint8_t pat(uint64_t base, uint64_t i, uint8_t tag)
{
	return (uint8_t)(tag ^ (base >> 20) ^ i);
}

static void write_pages(struct mm *mm, uint64_t base, int n, uint8_t tag)
{
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(sim_user_write8(mm, base + i * PG + 7,
						 pat(base, i, tag)), -1);
}

static uint8_t rd(struct mm *mm, uint64_t va)
{
	uint8_t b = 0xee;
	int r = sim_user_read8(mm, va, &b);

	ck_assert_msg(r == -1, "read of %lx failed: %s", (unsigned long)va,
		      mm_fault_outcome_name(r));
	return b;
}

static void build_parent(void)
{
	uint8_t b;

	parent = mm_create();
	ck_assert_ptr_nonnull(parent);
	mm_set_owner(parent, 1, "parent");
	sim_cr3 = parent->root;
	ck_assert_int_eq(mm_mmap(parent, TOUCH, NPG * PG, RW, PRIV), (int64_t)TOUCH);
	ck_assert_int_eq(mm_mmap(parent, FRESH, NPG * PG, RW, PRIV), (int64_t)FRESH);
	ck_assert_int_eq(mm_mmap(parent, ZERO, NPG * PG, RW, PRIV), (int64_t)ZERO);
	ck_assert_int_eq(mm_mmap(parent, RONLY, NPG * PG, RW, PRIV), (int64_t)RONLY);
	ck_assert_int_eq(mm_mmap(parent, SHARE, NPG * PG, RW, SHRD), (int64_t)SHARE);
	ck_assert_int_eq(mm_mmap(parent, PNONE, NPG * PG, RW, PRIV), (int64_t)PNONE);
	ck_assert_int_eq(mm_mmap(parent, FAR, PG, RW, PRIV), (int64_t)FAR);
	write_pages(parent, TOUCH, NPG, 1);
	for (int i = 0; i < NPG; i++)
		ck_assert_int_eq(sim_user_read8(parent, ZERO + i * PG, &b), -1);
	write_pages(parent, RONLY, NPG, 1);
	write_pages(parent, SHARE, NPG, 1);
	write_pages(parent, PNONE, NPG, 1);
	write_pages(parent, FAR, 1, 1);
	ck_assert_int_eq(mm_mprotect(parent, RONLY, NPG * PG, MM_PROT_READ), 0);
	ck_assert_int_eq(mm_mprotect(parent, PNONE, NPG * PG, MM_PROT_NONE), 0);
	mm_set_brk_base(parent, 0x20000000);
	ck_assert_uint_eq(mm_brk(parent, 0x20003000), 0x20003000);
	write_pages(parent, 0x20000000, 3, 1);
	/* TLB now caches writable translations of the parent's pages */
}

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	ptshare_enabled = false;        /* the copying fork (test_mm_ptshare.c) */
	free0 = frame_count_free();
	build_parent();
	sim_reset_counters();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
	ptshare_enabled = true;
}

static void tables_ok(struct mm *mm)
{
	ck_assert_msg(sim_check_tables(mm->root, why, sizeof(why), NULL),
		      "pid %d: %s", mm->pid, why);
}

static struct mm *fork_of(struct mm *p, int pid)
{
	struct mm *c = mm_fork(p);

	ck_assert_ptr_nonnull(c);
	mm_set_owner(c, pid, "child");
	tables_ok(p);
	tables_ok(c);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
	return c;
}

/* Switch the simulated CPU to mm (a CR3 load flushes the TLB). */
static void run(struct mm *mm)
{
	sim_cr3 = mm->root;
	sim_tlb_reset();
}

static uint64_t pa_of(struct mm *mm, uint64_t va)
{
	return PTE_ADDR(sim_pte(mm->root, va));
}

/* Both PTEs map the same frame with exactly want among mask, and the
 * frame's counts are ref / map. */
static void expect_pair(struct mm *a, struct mm *b, uint64_t va, uint64_t mask,
			uint64_t want, uint32_t ref, uint32_t map)
{
	uint64_t pa = sim_pte(a->root, va), pb = sim_pte(b->root, va);
	struct frame *f = frame_of(PTE_ADDR(pa));

	ck_assert_msg(pa && PTE_ADDR(pa) == PTE_ADDR(pb),
		      "%lx: PTEs %lx and %lx differ", (unsigned long)va,
		      (unsigned long)pa, (unsigned long)pb);
	ck_assert_msg((pa & mask) == want && (pb & mask) == want,
		      "%lx: flags %lx / %lx, want %lx under %lx", (unsigned long)va,
		      (unsigned long)PTE_FLAGS(pa), (unsigned long)PTE_FLAGS(pb),
		      (unsigned long)want, (unsigned long)mask);
	ck_assert_msg(f->refcount == ref && f->mapcount == map,
		      "%lx: frame %lx ref %u map %u, want %u %u", (unsigned long)va,
		      (unsigned long)PTE_ADDR(pa), f->refcount, f->mapcount, ref, map);
}

#define M (PTE_P | PTE_RW | PTE_SW_COW | PTE_SW_ZERO | PTE_SW_SHARED | PTE_SW_PROTNONE)

START_TEST(fork_shares_every_kind)
{
	uint64_t anon0 = frame_count_state(FRAME_ANON);
	struct mm *c = fork_of(parent, 2);
	struct vma *pv, *cv;
	int i;

	ck_assert_uint_eq(frame_count_state(FRAME_ANON), anon0);
	for (i = 0; i < NPG; i++) {
		expect_pair(parent, c, TOUCH + i * PG, M, PTE_P | PTE_SW_COW, 2, 2);
		ck_assert_uint_eq(sim_pte(parent->root, FRESH + i * PG), 0);
		ck_assert_uint_eq(sim_pte(c->root, FRESH + i * PG), 0);
		expect_pair(parent, c, ZERO + i * PG, M, PTE_P | PTE_SW_ZERO, 1,
			    2 * NPG);
		expect_pair(parent, c, RONLY + i * PG, M, PTE_P | PTE_SW_COW, 2, 2);
		expect_pair(parent, c, SHARE + i * PG, M,
			    PTE_P | PTE_RW | PTE_SW_SHARED, 2, 2);
		expect_pair(parent, c, PNONE + i * PG, M,
			    PTE_SW_PROTNONE | PTE_SW_COW, 2, 2);
	}
	expect_pair(parent, c, FAR, M, PTE_P | PTE_SW_COW, 2, 2);
	ck_assert_uint_eq(c->rss, parent->rss);
	ck_assert_uint_eq(c->nr_zero, parent->nr_zero);
	ck_assert_uint_eq(c->brk, parent->brk);
	ck_assert_uint_eq(c->brk_start, parent->brk_start);
	ck_assert_uint_eq(c->mmap_top, parent->mmap_top);
	ck_assert_uint_eq(c->stack_limit, parent->stack_limit);
	ck_assert_uint_eq(c->vmas.count, parent->vmas.count);
	for (pv = parent->vmas.head, cv = c->vmas.head; pv;
	     pv = pv->next, cv = cv->next) {
		ck_assert_ptr_nonnull(cv);
		ck_assert_ptr_ne(cv, pv);
		ck_assert_msg(cv->start == pv->start && cv->end == pv->end &&
			      cv->prot == pv->prot && cv->flags == pv->flags &&
			      cv->file == pv->file && cv->offset == pv->offset,
			      "VMA %lx-%lx differs", (unsigned long)pv->start,
			      (unsigned long)pv->end);
	}
	ck_assert_ptr_null(cv);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FORK), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FORK_PTES), c->rss + c->nr_zero);
}
END_TEST

START_TEST(page_tables_never_shared)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t t0 = frame_count_state(FRAME_PAGETABLE);
	struct sim_xlate a, b;

	ck_assert_int_eq(sim_walk(parent->root, TOUCH, &a), 0);
	ck_assert_int_eq(sim_walk(c->root, TOUCH, &b), 0);
	ck_assert_uint_ne(c->root, parent->root);
	/* the leaf tables differ: unmapping in one leaves the other intact */
	ck_assert_int_eq(mm_munmap(c, TOUCH, NPG * PG), 0);
	ck_assert_int_eq(sim_walk(parent->root, TOUCH, &a), 0);
	ck_assert_uint_lt(frame_count_state(FRAME_PAGETABLE), t0);
	tables_ok(parent);
	tables_ok(c);
}
END_TEST

/* Fork from the loaded parent: every writable translation it cached must
 * be gone, with a single CR3 reload, so its next write faults. */
START_TEST(fork_flushes_parent_tlb)
{
	struct mm *c;

	ck_assert_uint_eq(sim_flush_page_calls + sim_flush_all_calls, 0);
	c = fork_of(parent, 2);
	ck_assert_uint_eq(sim_flush_all_calls, 1);
	ck_assert_uint_eq(sim_flush_page_calls, 0);
	ck_assert_int_eq(sim_user_write8(parent, TOUCH + 7, 0xaa), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	run(c);
	ck_assert_uint_eq(rd(c, TOUCH + 7), pat(TOUCH, 0, 1));
}
END_TEST

START_TEST(cow_copy_then_reuse)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t old = pa_of(parent, TOUCH + PG), cpa, pte, copies;
	struct frame *f = frame_of(old);

	run(c);
	ck_assert_int_eq(sim_user_write8(c, TOUCH + PG + 9, 0x99), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_eq(sim_copy_calls, 1);
	cpa = pa_of(c, TOUCH + PG);
	ck_assert_uint_ne(cpa, old);
	ck_assert_msg(memcmp(sim_mem + cpa, sim_mem + old, 9) == 0 &&
		      memcmp(sim_mem + cpa + 10, sim_mem + old + 10, PG - 10) == 0,
		      "the copy differs from the original outside the write");
	ck_assert_uint_eq(sim_mem[cpa + 9], 0x99);
	ck_assert_uint_eq(frame_of(cpa)->refcount, 1);
	ck_assert_uint_eq(frame_of(cpa)->mapcount, 1);
	ck_assert_uint_eq(f->refcount, 1);
	ck_assert_uint_eq(f->mapcount, 1);
	pte = sim_pte(c->root, TOUCH + PG);
	ck_assert_msg((pte & M) == (PTE_P | PTE_RW), "child PTE %lx", (unsigned long)pte);
	ck_assert_uint_eq(c->rss, parent->rss);
	/* the parent's PTE is still COW until the parent writes: reuse */
	pte = sim_pte(parent->root, TOUCH + PG);
	ck_assert_msg((pte & M) == (PTE_P | PTE_SW_COW), "parent PTE %lx",
		      (unsigned long)pte);
	run(parent);
	copies = sim_copy_calls;
	ck_assert_int_eq(sim_user_write8(parent, TOUCH + PG + 9, 0x11), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_eq(sim_copy_calls, copies);
	ck_assert_uint_eq(pa_of(parent, TOUCH + PG), old);
	pte = sim_pte(parent->root, TOUCH + PG);
	ck_assert_msg((pte & M) == (PTE_P | PTE_RW), "reused PTE %lx", (unsigned long)pte);
	ck_assert_uint_eq(f->refcount, 1);
	ck_assert_uint_eq(rd(parent, TOUCH + PG + 9), 0x11);
	run(c);
	ck_assert_uint_eq(rd(c, TOUCH + PG + 9), 0x99);
	tables_ok(parent);
	tables_ok(c);
}
END_TEST

START_TEST(cow_fault_outcomes)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t free_before = frame_count_free();

	run(c);
	ck_assert_int_eq(mm_fault(c, TOUCH, PF_ERR_P | PF_ERR_W | PF_ERR_U),
			 MM_FAULT_COW_COPY);
	ck_assert_uint_eq(frame_count_free(), free_before - 1);
	run(parent);
	ck_assert_int_eq(mm_fault(parent, TOUCH, PF_ERR_P | PF_ERR_W | PF_ERR_U),
			 MM_FAULT_COW_REUSE);
	ck_assert_uint_eq(frame_count_free(), free_before - 1);
	ck_assert_str_eq(mm_fault_outcome_name(MM_FAULT_COW_COPY), "cow_copy");
	ck_assert_str_eq(mm_fault_outcome_name(MM_FAULT_COW_REUSE), "cow_reuse");
	ck_assert(mm_fault_resolved(MM_FAULT_COW_REUSE));
}
END_TEST

START_TEST(writes_are_private)
{
	struct mm *c = fork_of(parent, 2);
	int i;

	run(c);
	write_pages(c, TOUCH, NPG, 2);
	write_pages(c, 0x20000000, 3, 2);
	run(parent);
	for (i = 0; i < NPG; i++)
		ck_assert_uint_eq(rd(parent, TOUCH + i * PG + 7), pat(TOUCH, i, 1));
	for (i = 0; i < 3; i++)
		ck_assert_uint_eq(rd(parent, 0x20000000 + i * PG + 7),
				  pat(0x20000000, i, 1));
	write_pages(parent, TOUCH, NPG, 3);
	run(c);
	for (i = 0; i < NPG; i++)
		ck_assert_uint_eq(rd(c, TOUCH + i * PG + 7), pat(TOUCH, i, 2));
	/* first writer copied every page, second one reused them all */
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), NPG + 3);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), NPG);
	tables_ok(parent);
	tables_ok(c);
}
END_TEST

START_TEST(shared_anon_writes_visible)
{
	struct mm *c = fork_of(parent, 2);
	int i;

	run(c);
	for (i = 0; i < NPG; i++)
		ck_assert_uint_eq(rd(c, SHARE + i * PG + 7), pat(SHARE, i, 1));
	write_pages(c, SHARE, NPG, 2);
	run(parent);
	for (i = 0; i < NPG; i++)
		ck_assert_uint_eq(rd(parent, SHARE + i * PG + 7), pat(SHARE, i, 2));
	write_pages(parent, SHARE, NPG, 3);
	run(c);
	for (i = 0; i < NPG; i++)
		ck_assert_uint_eq(rd(c, SHARE + i * PG + 7), pat(SHARE, i, 3));
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY) +
			  vmstat_get(VMSTAT_FAULT_COW_REUSE), 0);
	expect_pair(parent, c, SHARE, M, PTE_P | PTE_RW | PTE_SW_SHARED, 2, 2);
}
END_TEST

START_TEST(zero_pages_after_fork)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t zmap = frame_of(mm_zero_page())->mapcount;

	run(c);
	ck_assert_int_eq(sim_user_write8(c, ZERO, 5), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_WRITE_AFTER_ZERO), 1);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, zmap - 1);
	run(parent);
	ck_assert_uint_eq(rd(parent, ZERO), 0);
	ck_assert_uint_eq(pa_of(parent, ZERO), mm_zero_page());
	/* untouched pages stay demand-zero in both */
	ck_assert_int_eq(sim_user_write8(parent, FRESH, 6), -1);
	run(c);
	ck_assert_uint_eq(rd(c, FRESH), 0);
}
END_TEST

/* Read-only private pages are COW too: write -> SEGV; mprotect keeps
 * them read-only; the write fault after mprotect copies, then reuses. */
START_TEST(read_only_private_and_mprotect)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t old = pa_of(parent, RONLY), pte;

	ck_assert_int_eq(sim_user_write8(parent, RONLY, 1), MM_FAULT_SEGV_ACCERR);
	ck_assert_int_eq(mm_mprotect(parent, RONLY, NPG * PG, RW), 0);
	pte = sim_pte(parent->root, RONLY);
	ck_assert_msg((pte & M) == (PTE_P | PTE_SW_COW), "after mprotect: %lx",
		      (unsigned long)pte);
	ck_assert_int_eq(sim_user_write8(parent, RONLY, 1), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_ne(pa_of(parent, RONLY), old);
	run(c);
	ck_assert_uint_eq(rd(c, RONLY + 7), pat(RONLY, 0, 1));
	ck_assert_int_eq(mm_mprotect(c, RONLY, PG, RW), 0);
	ck_assert_int_eq(sim_user_write8(c, RONLY, 2), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 1);
	ck_assert_uint_eq(pa_of(c, RONLY), old);
	tables_ok(parent);
	tables_ok(c);
}
END_TEST

START_TEST(protnone_pages_after_fork)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t old = pa_of(c, PNONE), pte;
	uint8_t b;

	run(c);
	ck_assert_int_eq(sim_user_read8(c, PNONE, &b), MM_FAULT_SEGV_ACCERR);
	ck_assert_int_eq(mm_mprotect(c, PNONE, NPG * PG, RW), 0);
	pte = sim_pte(c->root, PNONE);
	ck_assert_msg((pte & M) == (PTE_P | PTE_SW_COW), "after mprotect: %lx",
		      (unsigned long)pte);
	ck_assert_uint_eq(rd(c, PNONE + 7), pat(PNONE, 0, 1));
	ck_assert_int_eq(sim_user_write8(c, PNONE + 7, 0x42), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_eq(frame_of(old)->refcount, 1);
	run(parent);
	ck_assert_int_eq(mm_mprotect(parent, PNONE, PG, MM_PROT_READ), 0);
	ck_assert_uint_eq(rd(parent, PNONE + 7), pat(PNONE, 0, 1));
	tables_ok(parent);
	tables_ok(c);
}
END_TEST

/* munmap in the child releases its references only; the parent's
 * munmap then frees the frames; destroying both returns everything. */
START_TEST(munmap_and_destroy_free_exactly)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t anon = frame_count_state(FRAME_ANON), pa = pa_of(parent, TOUCH);

	run(c);
	ck_assert_int_eq(mm_munmap(c, TOUCH, NPG * PG), 0);
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), anon);
	ck_assert_uint_eq(frame_of(pa)->refcount, 1);
	ck_assert_uint_eq(frame_of(pa)->mapcount, 1);
	run(parent);
	ck_assert_int_eq(mm_munmap(parent, TOUCH, NPG * PG), 0);
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), anon - NPG);
	ck_assert_uint_eq(frame_of(pa)->state, FRAME_FREE);
	/* a copied page is freed by its own owner only */
	run(c);
	ck_assert_int_eq(mm_mprotect(c, RONLY, PG, RW), 0);
	ck_assert_int_eq(sim_user_write8(c, RONLY, 3), -1);
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), anon - NPG + 1);
	run(parent);
	sim_cr3 = 0;
	mm_destroy(parent);
	ck_assert_uint_eq(frame_of(pa_of(c, RONLY + PG))->refcount, 1);
	mm_destroy(c);
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), 0);
	ck_assert_uint_eq(frame_count_free(), free0);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 0);
}
END_TEST

/* The parent goes first: the child's writes then all reuse. */
START_TEST(parent_exits_first)
{
	struct mm *c = fork_of(parent, 2);

	sim_cr3 = 0;
	mm_destroy(parent);
	run(c);
	write_pages(c, TOUCH, NPG, 2);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), NPG);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 0);
	sim_cr3 = 0;
	mm_destroy(c);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

START_TEST(madvise_dontneed_after_fork)
{
	struct mm *c = fork_of(parent, 2);
	uint64_t pa = pa_of(parent, TOUCH);

	run(c);
	ck_assert_int_eq(mm_madvise(c, TOUCH, NPG * PG, MM_MADV_DONTNEED), 0);
	ck_assert_uint_eq(frame_of(pa)->refcount, 1);
	ck_assert_uint_eq(frame_of(pa)->state, FRAME_ANON);
	ck_assert_uint_eq(rd(c, TOUCH + 7), 0);
	run(parent);
	ck_assert_uint_eq(rd(parent, TOUCH + 7), pat(TOUCH, 0, 1));
	sim_cr3 = 0;
	mm_destroy(c);
	mm_destroy(parent);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

/* Three generations: counts follow every fork, break and exit. */
START_TEST(nested_forks)
{
	struct mm *c = fork_of(parent, 2), *g;
	uint64_t pa = pa_of(parent, TOUCH);

	run(c);
	g = fork_of(c, 3);
	expect_pair(c, g, TOUCH, M, PTE_P | PTE_SW_COW, 3, 3);
	expect_pair(parent, g, TOUCH, M, PTE_P | PTE_SW_COW, 3, 3);
	expect_pair(c, g, SHARE, M, PTE_P | PTE_RW | PTE_SW_SHARED, 3, 3);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 3 * NPG);
	run(g);
	write_pages(g, TOUCH, 1, 3);
	ck_assert_uint_eq(frame_of(pa)->refcount, 2);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	write_pages(g, SHARE, 1, 3);
	run(parent);
	ck_assert_uint_eq(rd(parent, SHARE + 7), pat(SHARE, 0, 3));
	ck_assert_uint_eq(rd(parent, TOUCH + 7), pat(TOUCH, 0, 1));
	sim_cr3 = 0;
	mm_destroy(c);
	ck_assert_uint_eq(frame_of(pa)->refcount, 1);
	run(parent);
	write_pages(parent, TOUCH, 1, 4);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 1);
	run(g);
	ck_assert_uint_eq(rd(g, TOUCH + 7), pat(TOUCH, 0, 3));
	ck_assert_uint_eq(rd(g, TOUCH + PG + 7), pat(TOUCH, 1, 1));
	sim_cr3 = 0;
	mm_destroy(parent);
	mm_destroy(g);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

/* Leave exactly n frames free; the grabbed ones go into grab[]. */
static unsigned squeeze(uint64_t n, uint64_t *grab, unsigned max)
{
	unsigned k = 0;

	while (frame_count_free() > n) {
		ck_assert_uint_lt(k, max);
		grab[k] = frame_alloc(0, FRAME_KERNEL);
		ck_assert_uint_ne(grab[k], 0);
		k++;
	}
	return k;
}

/* Fork with 0, 1, 2... free frames until it succeeds: every failure
 * gives back every frame and leaves the parent intact and usable. */
START_TEST(fork_out_of_memory_no_leak)
{
	static uint64_t grab[4096];
	uint64_t n, pa = pa_of(parent, TOUCH);
	unsigned k, fails = 0;
	struct mm *c = NULL;

	for (n = 0; !c; n++) {
		ck_assert_uint_lt(n, 64);
		k = squeeze(n, grab, 4096);
		c = mm_fork(parent);
		if (!c) {
			fails++;
			ck_assert_msg(frame_count_free() == n,
				      "fork with %lu free frames failed, %lu left",
				      (unsigned long)n, (unsigned long)frame_count_free());
			ck_assert_uint_eq(frame_of(pa)->refcount, 1);
			ck_assert_uint_eq(frame_of(pa)->mapcount, 1);
			ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, NPG);
			tables_ok(parent);
			ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
			/* pages a failed fork write-protected are reused */
			write_pages(parent, TOUCH, NPG, (uint8_t)n);
			ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 0);
		}
		while (k)
			frame_free(grab[--k]);
	}
	ck_assert_uint_gt(fails, 5);      /* failed at every table level */
	mm_set_owner(c, 2, "child");
	tables_ok(c);
	ck_assert_uint_gt(vmstat_get(VMSTAT_FAULT_COW_REUSE), 0);
	sim_cr3 = 0;
	mm_destroy(c);
	mm_destroy(parent);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

/* The COW break itself out of memory: OOM outcome, nothing changed. */
START_TEST(cow_copy_out_of_memory)
{
	static uint64_t grab[4096];
	struct mm *c = fork_of(parent, 2);
	uint64_t pte = sim_pte(c->root, TOUCH);
	unsigned k;

	run(c);
	k = squeeze(0, grab, 4096);
	ck_assert_int_eq(sim_user_write8(c, TOUCH, 1), MM_FAULT_OOM);
	ck_assert_uint_eq(sim_pte(c->root, TOUCH), pte);
	ck_assert_uint_eq(frame_of(PTE_ADDR(pte))->refcount, 2);
	while (k)
		frame_free(grab[--k]);
	ck_assert_int_eq(sim_user_write8(c, TOUCH, 1), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
}
END_TEST

/* Empty address space, and one with VMAs but no pages. */
START_TEST(fork_empty)
{
	struct mm *e = mm_create(), *c;

	ck_assert_ptr_nonnull(e);
	c = mm_fork(e);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->vmas.head);
	mm_destroy(c);
	ck_assert_int_eq(mm_mmap(e, FRESH, NPG * PG, RW, PRIV), (int64_t)FRESH);
	c = mm_fork(e);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->vmas.count, 1);
	ck_assert_uint_eq(frame_of(c->root)->count, 0);
	mm_destroy(c);
	mm_destroy(e);
	sim_cr3 = 0;
	mm_destroy(parent);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

/* Table pages under root's user half, root included. */
static unsigned count_tables(uint64_t t, int level)
{
	unsigned n = 1;
	int i, max = level == 3 ? 256 : 512;

	for (i = 0; level > 0 && i < max; i++) {
		uint64_t e = ((uint64_t *)(sim_mem + t))[i];

		if (e & PTE_P)
			n += count_tables(PTE_ADDR(e), level - 1);
	}
	return n;
}

/* The child gets exactly the parent's table pages, none allocated and
 * freed again: an untouched VMA ahead of a touched one in the same leaf
 * table or the same PD, or alone in its own PD, costs no table. */
START_TEST(fork_allocates_only_needed_tables)
{
	struct mm *c;
	uint64_t t0;

	ck_assert_int_eq(mm_mmap(parent, 0x10600000, PG, RW, PRIV), 0x10600000);
	ck_assert_int_eq(mm_mmap(parent, 0x10700000, PG, RW, PRIV), 0x10700000);
	ck_assert_int_eq(mm_mmap(parent, 0x40000000, PG, RW, PRIV), 0x40000000);
	ck_assert_int_eq(mm_mmap(parent, 0x80000000, PG, RW, PRIV), 0x80000000);
	ck_assert_int_eq(mm_mmap(parent, 0x80400000, PG, RW, PRIV), 0x80400000);
	write_pages(parent, 0x10700000, 1, 1);
	write_pages(parent, 0x80400000, 1, 1);
	sim_reset_counters();
	t0 = frame_count_state(FRAME_PAGETABLE);
	c = fork_of(parent, 2);
	ck_assert_uint_eq(count_tables(c->root, 3), count_tables(parent->root, 3));
	ck_assert_uint_eq(frame_count_state(FRAME_PAGETABLE) - t0,
			  count_tables(c->root, 3));
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_ALLOC), count_tables(c->root, 3));
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_FREE), 0);
}
END_TEST

/* A broken count on entry to the COW handler panics (SIGABRT here). */
START_TEST(cow_refcount_invariant_checked)
{
	struct mm *c = fork_of(parent, 2);

	frame_of(pa_of(c, TOUCH))->mapcount = 3;     /* > refcount 2 */
	run(c);
	sim_user_write8(c, TOUCH, 1);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "fork_shares_every_kind", fork_shares_every_kind, 0 },
		{ "page_tables_never_shared", page_tables_never_shared, 0 },
		{ "fork_flushes_parent_tlb", fork_flushes_parent_tlb, 0 },
		{ "cow_copy_then_reuse", cow_copy_then_reuse, 0 },
		{ "cow_fault_outcomes", cow_fault_outcomes, 0 },
		{ "writes_are_private", writes_are_private, 0 },
		{ "shared_anon_writes_visible", shared_anon_writes_visible, 0 },
		{ "zero_pages_after_fork", zero_pages_after_fork, 0 },
		{ "read_only_private_and_mprotect", read_only_private_and_mprotect, 0 },
		{ "protnone_pages_after_fork", protnone_pages_after_fork, 0 },
		{ "munmap_and_destroy_free_exactly", munmap_and_destroy_free_exactly, 0 },
		{ "parent_exits_first", parent_exits_first, 0 },
		{ "madvise_dontneed_after_fork", madvise_dontneed_after_fork, 0 },
		{ "nested_forks", nested_forks, 0 },
		{ "fork_out_of_memory_no_leak", fork_out_of_memory_no_leak, 0 },
		{ "cow_copy_out_of_memory", cow_copy_out_of_memory, 0 },
		{ "fork_empty", fork_empty, 0 },
		{ "fork_allocates_only_needed_tables", fork_allocates_only_needed_tables, 0 },
		{ "cow_refcount_invariant_checked", cow_refcount_invariant_checked,
		  SIGABRT },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
