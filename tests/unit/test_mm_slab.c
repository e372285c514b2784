/*
 * test_mm_slab.c: the fixed-size object allocator (mm/slab.c).
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/env.h"
#include "mm/slab.h"

#define SUITE_NAME "mm_slab"

static struct slab_cache c, other;
static uint64_t free0;

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	slab_cache_init(&c, "test", 100);
	slab_cache_init(&other, "other", 100);
	free0 = frame_count_free();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(objects_zeroed_distinct_aligned)
{
	char *a = slab_alloc(&c), *b = slab_alloc(&c);

	ck_assert_uint_eq(c.size, 104);
	ck_assert_msg(a && b && a != b && ((uintptr_t)a & 7) == 0, "a %p b %p", a, b);
	ck_assert_msg(b - a >= 104 || a - b >= 104, "objects overlap: %p %p", a, b);
	for (int i = 0; i < 100; i++)
		ck_assert_msg(a[i] == 0, "byte %d is %x, expected 0", i, a[i]);
	memset(a, 0xff, 100);
	slab_free(&c, a);
	a = slab_alloc(&c);
	for (int i = 0; i < 100; i++)
		ck_assert_msg(a[i] == 0, "reused byte %d is %x", i, a[i]);
	ck_assert_uint_eq(c.pages, 1);
	ck_assert_uint_eq(frame_of(env_v2p(a))->state, FRAME_KERNEL);
}
END_TEST

START_TEST(pages_grow_and_return)
{
	void *objs[200];
	unsigned i, n = c.per_page * 3 + 1;

	ck_assert_uint_eq(c.per_page, (4096 - 48) / 104);
	for (i = 0; i < n; i++)
		ck_assert_ptr_nonnull(objs[i] = slab_alloc(&c));
	ck_assert_uint_eq(c.pages, 4);
	ck_assert_uint_eq(frame_count_free(), free0 - 4);
	for (i = 0; i < n; i++)
		slab_free(&c, objs[i]);
	ck_assert_uint_eq(c.pages, 0);
	ck_assert_uint_eq(c.objects, 0);
	ck_assert_msg(frame_count_free() == free0, "free %lu, expected %lu",
		      frame_count_free(), free0);
}
END_TEST

START_TEST(free_to_wrong_cache_panics)
{
	void *a = slab_alloc(&c);
	sim_expect_panic("is not a live other object");

	slab_alloc(&other);
	slab_free(&other, a);
}
END_TEST

START_TEST(alloc_fails_cleanly_when_out_of_frames)
{
	while (frame_alloc(0, FRAME_KERNEL))
		;
	ck_assert_ptr_null(slab_alloc(&c));
	ck_assert_uint_eq(c.pages, 0);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "objects_zeroed_distinct_aligned", objects_zeroed_distinct_aligned, 0 },
		{ "pages_grow_and_return", pages_grow_and_return, 0 },
		{ "free_to_wrong_cache_panics", free_to_wrong_cache_panics, SIGABRT },
		{ "alloc_fails_cleanly_when_out_of_frames",
		  alloc_fails_cleanly_when_out_of_frames, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
