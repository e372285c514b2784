/*
 * test_mm_vma.c: the sorted VMA set (mm/vma.c): insert, find, split at
 * either end and in the middle, merges, and top-down gap search.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/vma.h"

#define P 4096UL

static struct vma_set set;

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	vma_set_init(&set);
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

static struct vma *add(uint64_t s, uint64_t e, uint32_t prot, uint32_t flags)
{
	struct vma *v = vma_alloc(s, e, prot, flags);

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(vma_insert(&set, v), 0);
	return v;
}

/* The set as "start-end start-end ..." must equal the expected ranges. */
static void expect(const uint64_t *r, unsigned n)
{
	struct vma *v = set.head, *prev = NULL;
	unsigned i;

	for (i = 0; i < n; i++, prev = v, v = v->next) {
		ck_assert_msg(v, "only %u VMAs, expected %u", i, n);
		ck_assert_msg(v->start == r[2 * i] && v->end == r[2 * i + 1],
			      "VMA %u is %lx-%lx, expected %lx-%lx", i, v->start,
			      v->end, r[2 * i], r[2 * i + 1]);
		ck_assert_ptr_eq(v->prev, prev);
	}
	ck_assert_msg(!v, "more VMAs than the %u expected", n);
	ck_assert_uint_eq(set.count, n);
}

START_TEST(insert_keeps_order)
{
	uint64_t r[] = { 10 * P, 11 * P, 20 * P, 30 * P, 40 * P, 41 * P };

	add(20 * P, 30 * P, VMA_READ, 0);
	add(40 * P, 41 * P, VMA_READ, 0);
	add(10 * P, 11 * P, VMA_READ, 0);
	expect(r, 3);
}
END_TEST

START_TEST(insert_overlap_eexist)
{
	struct vma *v;
	uint64_t bad[][2] = { { 19 * P, 21 * P }, { 29 * P, 31 * P },
			      { 22 * P, 23 * P }, { 10 * P, 40 * P },
			      { 20 * P, 30 * P } };
	unsigned i;

	add(20 * P, 30 * P, VMA_READ, 0);
	for (i = 0; i < 5; i++) {
		v = vma_alloc(bad[i][0], bad[i][1], VMA_READ, 0);
		ck_assert_msg(vma_insert(&set, v) == -MM_EEXIST,
			      "%lx-%lx overlapping 20-30 pages was accepted",
			      bad[i][0], bad[i][1]);
		vma_free(v);
	}
	v = add(30 * P, 31 * P, VMA_READ, 0);   /* adjacent is fine */
	ck_assert_uint_eq(set.count, 2);
}
END_TEST

START_TEST(find_and_find_next)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, 0);
	struct vma *b = add(30 * P, 40 * P, VMA_READ, 0);

	ck_assert_ptr_eq(vma_find(&set, 10 * P), a);
	ck_assert_ptr_eq(vma_find(&set, 20 * P - 1), a);
	ck_assert_ptr_null(vma_find(&set, 20 * P));
	ck_assert_ptr_eq(vma_find(&set, 35 * P), b);
	ck_assert_ptr_eq(set.cache, b);
	ck_assert_ptr_eq(vma_find(&set, 31 * P), b);
	ck_assert_ptr_null(vma_find(&set, 40 * P));
	ck_assert_ptr_null(vma_find(&set, 0));
	ck_assert_ptr_eq(vma_find_next(&set, 0), a);
	ck_assert_ptr_eq(vma_find_next(&set, 25 * P), b);
	ck_assert_ptr_eq(vma_find_next(&set, 35 * P), b);
	ck_assert_ptr_null(vma_find_next(&set, 40 * P));
	vma_remove(&set, b);
	ck_assert_ptr_null(set.cache);
	ck_assert_ptr_null(vma_find(&set, 35 * P));
	vma_free(b);
}
END_TEST

START_TEST(split_middle)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, VMA_FILE), *n;
	uint64_t r[] = { 10 * P, 15 * P, 15 * P, 20 * P };

	a->offset = 3 * P;
	n = vma_split(&set, a, 15 * P);
	ck_assert_ptr_nonnull(n);
	expect(r, 2);
	ck_assert_msg(n->offset == 8 * P, "offset %lx, expected %lx", n->offset,
		      8 * P);
	ck_assert_uint_eq(n->prot, VMA_READ);
	ck_assert_uint_eq(n->flags, VMA_FILE);
}
END_TEST

START_TEST(split_both_ends)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, 0), *m;
	uint64_t r[] = { 10 * P, 11 * P, 11 * P, 19 * P, 19 * P, 20 * P };

	m = vma_split(&set, a, 11 * P);
	vma_split(&set, m, 19 * P);
	expect(r, 3);
	ck_assert_ptr_eq(vma_find(&set, 19 * P)->prev, m);
}
END_TEST

START_TEST(split_outside_panics)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, 0);
	sim_expect_panic("vma_split: a000 not inside");

	vma_split(&set, a, 10 * P);
}
END_TEST

START_TEST(merge_prev_next_both)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, 0);
	struct vma *c = add(30 * P, 40 * P, VMA_READ, 0);
	struct vma *b = add(20 * P, 30 * P, VMA_READ, 0);
	uint64_t r[] = { 10 * P, 40 * P };

	(void)c;
	ck_assert_ptr_eq(vma_merge(&set, b), a);
	expect(r, 1);
}
END_TEST

START_TEST(merge_next_only)
{
	struct vma *b = add(20 * P, 30 * P, VMA_READ, 0);
	uint64_t r[] = { 10 * P, 20 * P, 20 * P, 40 * P };

	add(10 * P, 20 * P, VMA_WRITE, 0);
	add(30 * P, 40 * P, VMA_READ, 0);
	ck_assert_ptr_eq(vma_merge(&set, b), b);
	expect(r, 2);
}
END_TEST

START_TEST(merge_refuses_incompatible)
{
	struct vma *a = add(10 * P, 20 * P, VMA_READ, VMA_FILE);
	struct vma *b = add(20 * P, 30 * P, VMA_READ, VMA_FILE);
	struct vma *c = add(30 * P, 40 * P, VMA_READ, VMA_FILE | VMA_SHARED);
	struct vma *d = add(41 * P, 50 * P, VMA_READ, VMA_FILE | VMA_SHARED);

	a->offset = 0;
	b->offset = 11 * P;            /* not contiguous with a */
	ck_assert(!vma_can_merge(a, b));
	ck_assert(!vma_can_merge(b, c));   /* flags differ */
	ck_assert(!vma_can_merge(c, d));   /* not adjacent */
	b->offset = 10 * P;
	ck_assert(vma_can_merge(a, b));
	ck_assert_uint_eq(set.count, 4);
}
END_TEST

START_TEST(gap_topdown)
{
	uint64_t low = 0x10000, high = 100 * P;

	ck_assert_uint_eq(vma_gap_topdown(&set, 4 * P, low, high), 96 * P);
	add(90 * P, 100 * P, VMA_READ, 0);
	ck_assert_uint_eq(vma_gap_topdown(&set, 4 * P, low, high), 86 * P);
	add(80 * P, 88 * P, VMA_READ, 0);          /* leaves a 2-page hole */
	ck_assert_uint_eq(vma_gap_topdown(&set, 2 * P, low, high), 88 * P);
	ck_assert_uint_eq(vma_gap_topdown(&set, 3 * P, low, high), 77 * P);
}
END_TEST

START_TEST(gap_straddle_and_full)
{
	add(90 * P, 110 * P, VMA_READ, 0);         /* straddles high */
	ck_assert_uint_eq(vma_gap_topdown(&set, P, 0x10000, 100 * P), 89 * P);
	ck_assert_uint_eq(vma_gap_topdown(&set, 80 * P, 0x10000, 100 * P), 0);
	ck_assert_uint_eq(vma_gap_topdown(&set, 74 * P, 0x10000, 100 * P), 16 * P);
}
END_TEST

START_TEST(gap_respects_low)
{
	ck_assert_uint_eq(vma_gap_topdown(&set, 20 * P, 90 * P, 100 * P), 0);
	ck_assert_uint_eq(vma_gap_topdown(&set, 10 * P, 90 * P, 100 * P), 90 * P);
	add(10 * P, 20 * P, VMA_READ, 0);         /* below low */
	ck_assert_uint_eq(vma_gap_topdown(&set, 11 * P, 90 * P, 100 * P), 0);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "insert_keeps_order", insert_keeps_order, 0 },
		{ "insert_overlap_eexist", insert_overlap_eexist, 0 },
		{ "find_and_find_next", find_and_find_next, 0 },
		{ "split_middle", split_middle, 0 },
		{ "split_both_ends", split_both_ends, 0 },
		{ "split_outside_panics", split_outside_panics, SIGABRT },
		{ "merge_prev_next_both", merge_prev_next_both, 0 },
		{ "merge_next_only", merge_next_only, 0 },
		{ "merge_refuses_incompatible", merge_refuses_incompatible, 0 },
		{ "gap_topdown", gap_topdown, 0 },
		{ "gap_straddle_and_full", gap_straddle_and_full, 0 },
		{ "gap_respects_low", gap_respects_low, 0 },
	};

	return unit_run("mm_vma", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
