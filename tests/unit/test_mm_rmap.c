/*
 * test_mm_rmap.c: the reverse mapping (mm/rmap.c): mm_rmap_walk names
 * exactly the (mm, va) pairs whose PTEs map a frame, through fault,
 * fork, COW copy and reuse, munmap, madvise, mprotect, exit and shared
 * file pages; mm_rmap_check is run after every step and is shown to
 * catch a missing item, a stray item and a wrong map count.
 */
#include <check.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/mmap.h"
#include "mm/pagecache.h"
#include "mm/ptshare.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_rmap"
#define PG    4096ULL
#define RW    (MM_PROT_READ | MM_PROT_WRITE)
#define PRIV  (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define A     0x0000000010000000ULL
#define B     0x0000000020000000ULL

static struct mm *p;
static char why[256];

struct seen {
	int n;
	struct mm *mm[8];
	uint64_t va[8];
};

static int record(void *arg, struct mm *mm, uint64_t va)
{
	struct seen *s = arg;

	ck_assert_int_lt(s->n, 8);
	s->mm[s->n] = mm;
	s->va[s->n++] = va;
	return 0;
}

/* The frame's rmap is exactly the listed (mm, va) pairs, in any order. */
static void expect_maps(uint64_t pa, int n, ...)
{
	struct seen s = { 0 };
	va_list ap;

	ck_assert_int_eq(mm_rmap_walk(pa, record, &s), 0);
	ck_assert_msg(s.n == n, "frame %lx: %d mappings, want %d",
		      (unsigned long)pa, s.n, n);
	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		struct mm *mm = va_arg(ap, struct mm *);
		uint64_t va = va_arg(ap, uint64_t);
		int hit = 0;

		for (int k = 0; k < s.n; k++)
			hit += s.mm[k] == mm && s.va[k] == va;
		ck_assert_msg(hit == 1, "frame %lx: (pid %d, %lx) seen %d times",
			      (unsigned long)pa, mm->pid, (unsigned long)va, hit);
	}
	va_end(ap);
	ck_assert_uint_eq(frame_of(pa)->mapcount, (uint32_t)n);
	ck_assert_msg(mm_rmap_check(why, sizeof(why)), "%s", why);
}

static uint64_t pa_of(struct mm *mm, uint64_t va)
{
	return PTE_ADDR(sim_pte(mm->root, va));
}

static void wr(struct mm *mm, uint64_t va, uint8_t b)
{
	sim_cr3 = mm->root;
	sim_tlb_reset();
	ck_assert_int_eq(sim_user_write8(mm, va, b), -1);
}

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	/* one item per PTE: forks copy their tables (sharing them is
	 * test_mm_ptshare.c's) */
	ptshare_enabled = false;
	p = mm_create();
	mm_set_owner(p, 1, "p");
	ck_assert_int_eq(mm_mmap(p, A, 4 * PG, RW, PRIV), (int64_t)A);
	wr(p, A, 1);
	wr(p, A + PG, 2);
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(fault_adds_one)
{
	uint8_t b;

	expect_maps(pa_of(p, A), 1, p, A);
	expect_maps(pa_of(p, A + PG), 1, p, A + PG);
	/* the zero page is not tracked */
	ck_assert_int_eq(sim_user_read8(p, A + 2 * PG, &b), -1);
	ck_assert_uint_eq(mm_rmap_count(mm_zero_page()), 0);
	ck_assert(mm_rmap_check(why, sizeof(why)));
}
END_TEST

static int stop_at_second(void *arg, struct mm *mm, uint64_t va)
{
	(void)mm;
	(void)va;
	return ++*(int *)arg == 2 ? 42 : 0;
}

START_TEST(fork_cow_copy_and_reuse)
{
	uint64_t f = pa_of(p, A), g;
	struct mm *c1 = mm_fork(p), *c2;
	int n = 0;

	mm_set_owner(c1, 2, "c1");
	c2 = mm_fork(c1);
	mm_set_owner(c2, 3, "c2");
	expect_maps(f, 3, p, A, c1, A, c2, A);
	ck_assert_int_eq(mm_rmap_walk(f, stop_at_second, &n), 42);
	ck_assert_int_eq(n, 2);
	/* copy: c1's item moves to its new frame */
	wr(c1, A, 9);
	g = pa_of(c1, A);
	ck_assert_uint_ne(g, f);
	expect_maps(f, 2, p, A, c2, A);
	expect_maps(g, 1, c1, A);
	/* c2 copies too; p is left alone and reuses */
	wr(c2, A, 8);
	expect_maps(f, 1, p, A);
	wr(p, A, 7);
	ck_assert_uint_eq(pa_of(p, A), f);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 1);
	expect_maps(f, 1, p, A);
	/* exit */
	mm_destroy(c2);
	expect_maps(pa_of(p, A + PG), 2, p, A + PG, c1, A + PG);
	mm_destroy(c1);
	expect_maps(pa_of(p, A + PG), 1, p, A + PG);
}
END_TEST

START_TEST(munmap_madvise_mprotect)
{
	struct mm *c = mm_fork(p);
	uint64_t f = pa_of(p, A), g = pa_of(p, A + PG);

	mm_set_owner(c, 2, "c");
	ck_assert_int_eq(mm_munmap(p, A, PG), 0);
	expect_maps(f, 1, c, A);
	ck_assert_int_eq(mm_madvise(c, A + PG, PG, MM_MADV_DONTNEED), 0);
	expect_maps(g, 1, p, A + PG);
	ck_assert_int_eq(mm_mprotect(c, A, PG, MM_PROT_NONE), 0);
	expect_maps(f, 1, c, A);
	ck_assert_int_eq(mm_mprotect(c, A, PG, MM_PROT_READ), 0);
	expect_maps(f, 1, c, A);
	mm_destroy(c);
	ck_assert_uint_eq(frame_of(f)->state, FRAME_FREE);
	ck_assert(mm_rmap_check(why, sizeof(why)));
}
END_TEST

START_TEST(shared_file_frame)
{
	struct mm_file *file = sim_file("f", 0x10000, 100, 3);
	struct mm *q = mm_create();
	uint8_t b;

	mm_set_owner(q, 2, "q");
	ck_assert_int_eq(mm_mmap_file(p, B, PG, MM_PROT_READ, MM_MAP_SHARED |
				      MM_MAP_FIXED, file, 0), (int64_t)B);
	ck_assert_int_eq(mm_mmap_file(q, A, PG, MM_PROT_READ, MM_MAP_PRIVATE |
				      MM_MAP_FIXED, file, 0), (int64_t)A);
	ck_assert_int_eq(sim_user_read8(p, B, &b), -1);
	ck_assert_int_eq(sim_user_read8(q, A, &b), -1);
	expect_maps(0x10000, 2, p, B, q, A);
	mm_destroy(q);
	expect_maps(0x10000, 1, p, B);
}
END_TEST

/* Negative controls: the check catches each kind of damage. */
START_TEST(check_catches_missing_item)
{
	struct frame *f = frame_of(pa_of(p, A));
	struct rmap_item *it = f->rmap;

	f->rmap = it->next;
	ck_assert(!mm_rmap_check(why, sizeof(why)));
	f->rmap = it;
	ck_assert(mm_rmap_check(why, sizeof(why)));
}
END_TEST

START_TEST(check_catches_wrong_mapcount)
{
	struct frame *f = frame_of(pa_of(p, A));

	f->mapcount++;
	f->refcount++;
	ck_assert(!mm_rmap_check(why, sizeof(why)));
	f->mapcount--;
	f->refcount--;
}
END_TEST

START_TEST(check_catches_stray_item)
{
	struct frame *f = frame_of(pa_of(p, A)), *g = frame_of(pa_of(p, A + PG));
	struct rmap_item *it = f->rmap;

	/* the item moved to another frame: both lists are wrong */
	f->rmap = NULL;
	it->next = g->rmap;
	g->rmap = it;
	f->mapcount--;
	g->mapcount++;
	g->refcount++;
	ck_assert(!mm_rmap_check(why, sizeof(why)));
	g->rmap = it->next;
	it->next = NULL;
	f->rmap = it;
	f->mapcount++;
	g->mapcount--;
	g->refcount--;
}
END_TEST

/* An unmap the rmap never saw panics. */
START_TEST(unlink_missing_panics)
{
	sim_expect_panic("has no mapping at");
	rmap_remove(frame_of(pa_of(p, A)), p, A + PG);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "fault_adds_one", fault_adds_one, 0 },
		{ "fork_cow_copy_and_reuse", fork_cow_copy_and_reuse, 0 },
		{ "munmap_madvise_mprotect", munmap_madvise_mprotect, 0 },
		{ "shared_file_frame", shared_file_frame, 0 },
		{ "check_catches_missing_item", check_catches_missing_item, 0 },
		{ "check_catches_wrong_mapcount", check_catches_wrong_mapcount, 0 },
		{ "check_catches_stray_item", check_catches_stray_item, 0 },
		{ "unlink_missing_panics", unlink_missing_panics, SIGABRT },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
