/*
 * test_mm_frame.c: the frame allocator (mm/frame.c): counts, placement of
 * the descriptor table, LIFO reuse, buddy split and merge, references,
 * and each clearing policy's effect on a frame's bytes.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/frame.h"
#include "mm/poison.h"
#include "mm/vmstat.h"

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(counts_add_up)
{
	uint64_t total = frame_count_total(), sum = 0;
	int s;

	ck_assert_msg(total == SIM_MEM_DEFAULT / 4096, "total %lu, expected %lu",
		      total, SIM_MEM_DEFAULT / 4096);
	for (s = 0; s < FRAME_NSTATES; s++)
		sum += frame_count_state(s);
	ck_assert_msg(sum == total, "states sum to %lu, expected %lu", sum, total);
	ck_assert_msg(frame_count_state(FRAME_RESERVED) == 256,
		      "reserved %lu, expected 256 (first MiB)",
		      frame_count_state(FRAME_RESERVED));
	/* 4096 descriptors of 24 bytes = 24 pages */
	ck_assert_msg(frame_count_state(FRAME_KERNEL) == 24,
		      "kernel %lu, expected 24 (descriptor table)",
		      frame_count_state(FRAME_KERNEL));
	ck_assert_uint_eq(frame_count_state(FRAME_ZERO), 1);
}
END_TEST

START_TEST(table_placed_in_free_ram)
{
	ck_assert_msg(frame_of(0x100000)->state == FRAME_KERNEL,
		      "frame at 1 MiB is %s, expected the descriptor table",
		      frame_state_name(frame_of(0x100000)->state));
	ck_assert_msg(frame_of(0xff000)->state == FRAME_RESERVED,
		      "frame below 1 MiB is %s, expected reserved",
		      frame_state_name(frame_of(0xff000)->state));
	ck_assert_msg(frame_of(0)->state == FRAME_RESERVED, "frame 0 not reserved");
}
END_TEST

START_TEST(init_marks_exactly_the_used_ranges)
{
	struct frame_range used[] = {
		{ 0x300000, 0x400000 }, { 0x5000, 0x6001 },
		{ 0x200000, 0x100000 } /* empty */, { 0x180000, 0x181000 },
	};
	uint64_t i, n = SIM_MEM_DEFAULT / 4096, got = 0, pa;

	ck_assert_int_eq(frame_init(SIM_MEM_DEFAULT, used, 4), 0);
	for (i = 0; i < n; i++) {
		uint64_t a = i * 4096;
		int want = FRAME_FREE;

		if (a == 0 || (a >= 0x300000 && a < 0x400000) ||
		    (a >= 0x5000 && a < 0x7000) || a == 0x180000)
			want = FRAME_RESERVED;
		else if (a >= 0x7000 && a < 0x7000 + 24 * 4096)
			want = FRAME_KERNEL;        /* the table, after 0x6001 */
		ck_assert_msg(frame_of(a)->state == want, "frame %lx is %s, expected %s",
			      a, frame_state_name(frame_of(a)->state),
			      frame_state_name(want));
	}
	ck_assert_uint_eq(frame_count_state(FRAME_RESERVED), 1 + 256 + 2 + 1);
	while ((pa = frame_alloc(0, FRAME_ANON))) {
		ck_assert_msg(!(pa >= 0x300000 && pa < 0x400000) && pa != 0x180000 &&
			      !(pa >= 0x5000 && pa < 0x7000 + 24 * 4096),
			      "handed out used frame %lx", pa);
		got++;
	}
	ck_assert_uint_eq(got, n - (1 + 256 + 2 + 1) - 24);
}
END_TEST

START_TEST(init_rejects_tiny_and_full)
{
	struct frame_range all[] = { { 0, 1ULL << 20 } };

	ck_assert_int_eq(frame_init(4096, NULL, 0), -MM_EINVAL);
	ck_assert_int_eq(frame_init(1ULL << 20, all, 1), -MM_ENOMEM);
}
END_TEST

START_TEST(lifo_reuse)
{
	uint64_t a = frame_alloc(0, FRAME_ANON), b = frame_alloc(0, FRAME_ANON);

	ck_assert_msg(a && b && a != b, "a %lx b %lx", a, b);
	frame_free(a);
	ck_assert_msg(frame_alloc(0, FRAME_ANON) == a,
		      "the frame freed last is not handed out next");
	frame_free(b);
	frame_free(a);
	ck_assert_msg(frame_alloc(0, FRAME_ANON) == a, "expected a (freed last)");
	ck_assert_msg(frame_alloc(0, FRAME_ANON) == b, "expected b next");
}
END_TEST

START_TEST(buddy_split_aligned)
{
	uint64_t free0 = frame_count_free(), pa;
	unsigned o;

	for (o = 0; o <= FRAME_MAX_ORDER; o++) {
		pa = frame_alloc(o, FRAME_KERNEL);
		ck_assert_msg(pa, "order %u failed", o);
		ck_assert_msg((pa & ((4096ULL << o) - 1)) == 0,
			      "order %u block at %lx is not aligned", o, pa);
		ck_assert_uint_eq(frame_of(pa)->order, o);
		ck_assert_uint_eq(frame_count_free(), free0 - (1ULL << o));
		frame_free(pa);
		ck_assert_uint_eq(frame_count_free(), free0);
	}
}
END_TEST

START_TEST(buddy_merges_back)
{
	uint64_t *pas = malloc(sizeof(uint64_t) * 4096), n = 0, pa, big = 0;
	uint64_t free0 = frame_count_free();

	while ((pa = frame_alloc(0, FRAME_ANON)))
		pas[n++] = pa;
	ck_assert_msg(n == free0, "allocated %lu of %lu free", n, free0);
	ck_assert_msg(frame_alloc(FRAME_MAX_ORDER, FRAME_ANON) == 0,
		      "order 10 allocated from an empty pool");
	while (n)
		frame_free(pas[--n]);
	ck_assert_uint_eq(frame_count_free(), free0);
	/* blocks must have merged again for the largest order to exist */
	big = frame_alloc(FRAME_MAX_ORDER, FRAME_ANON);
	ck_assert_msg(big != 0, "no order-%d block after freeing everything",
		      FRAME_MAX_ORDER);
	free(pas);
}
END_TEST

START_TEST(buddy_pairs_merge)
{
	uint64_t a, b, c;

	frame_drain_hot();
	a = frame_alloc(1, FRAME_KERNEL);
	frame_free(a);              /* order-1 block back on its list */
	b = frame_alloc(0, FRAME_KERNEL);
	c = frame_alloc(0, FRAME_KERNEL);
	ck_assert_msg(b == a && c == a + 4096,
		      "order-1 split: got %lx %lx, expected %lx %lx", b, c, a,
		      a + 4096);
	frame_free(c);
	frame_free(b);
	frame_drain_hot();
	ck_assert_msg(frame_alloc(1, FRAME_KERNEL) == a,
		      "buddies %lx and %lx did not merge", b, c);
}
END_TEST

START_TEST(refcount_get_put)
{
	uint64_t pa = frame_alloc(0, FRAME_ANON), free0 = frame_count_free();

	ck_assert_uint_eq(frame_of(pa)->refcount, 1);
	frame_get(pa);
	ck_assert_uint_eq(frame_of(pa)->refcount, 2);
	ck_assert_msg(!frame_put(pa), "freed with a reference left");
	ck_assert_uint_eq(frame_count_free(), free0);
	ck_assert_msg(frame_put(pa), "last put did not free");
	ck_assert_uint_eq(frame_count_free(), free0 + 1);
	ck_assert_uint_eq(frame_of(pa)->state, FRAME_FREE);
}
END_TEST

START_TEST(put_zero_page_panics)
{
	sim_expect_panic("frame_put: the zero page");
	frame_put(mm_zero_page());
}
END_TEST

START_TEST(free_mapped_panics)
{
	uint64_t pa = frame_alloc(0, FRAME_ANON);
	sim_expect_panic("still mapped 1 times");

	frame_of(pa)->mapcount = 1;
	frame_free(pa);
}
END_TEST

START_TEST(double_put_panics)
{
	uint64_t pa = frame_alloc(0, FRAME_ANON);
	sim_expect_panic("refcount already 0");

	frame_put(pa);
	frame_put(pa);
}
END_TEST

START_TEST(policy_names)
{
	enum frame_clear_policy p;
	const char *names[] = { "fault", "free", "idle", "none" };
	int i;

	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(frame_clear_policy_parse(names[i], &p), 0);
		ck_assert_int_eq(p, i);
		ck_assert_str_eq(frame_clear_policy_name(p), names[i]);
	}
	ck_assert_int_eq(frame_clear_policy_parse("faul", &p), -MM_EINVAL);
	ck_assert_int_eq(frame_clear_policy_parse("faults", &p), -MM_EINVAL);
}
END_TEST

/* A frame with a secret, freed, then taken as a user page. */
static uint64_t secret_then_realloc(enum frame_clear_policy policy)
{
	uint64_t pa, again;

	frame_set_clear_policy(policy);
	pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);
	sim_fill(pa, 0xA5);
	frame_free(pa);
	if (policy == FRAME_CLEAR_IDLE)
		frame_idle_clear_some(8);
	again = frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY);
	ck_assert_msg(again == pa, "expected the freed frame %lx back, got %lx",
		      pa, again);
	return pa;
}

START_TEST(policy_fault_clears_at_alloc)
{
	uint64_t pa;

	sim_reset_counters();
	pa = secret_then_realloc(FRAME_CLEAR_FAULT);
	ck_assert_msg(sim_all(pa, 0), "fault policy: frame not zero");
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FAULT), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FREE), 0);
}
END_TEST

START_TEST(policy_free_clears_at_free)
{
	uint64_t pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);

	frame_set_clear_policy(FRAME_CLEAR_FREE);
	sim_fill(pa, 0xA5);
	sim_reset_counters();
	frame_free(pa);
	ck_assert_msg(sim_all(pa, 0), "free policy: bytes still there after free");
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FREE), 1);
	ck_assert_uint_eq(frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY), pa);
	ck_assert_msg(sim_clear_calls == 1, "cleared %lu times, expected once",
		      sim_clear_calls);
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_SKIPPED), 1);
}
END_TEST

/* Every 8-byte word of the frame at pa is w. */
static bool all_words(uint64_t pa, uint64_t w)
{
	const uint64_t *p = frame_p2v(pa);

	for (int i = 0; i < 512; i++)
		if (p[i] != w)
			return false;
	return true;
}

/* page_poison: a frame freed dirty holds FRAME_POISON(its pfn) until it
 * is handed out again, cleared as the policy says. */
START_TEST(poison_fills_freed_frames)
{
	uint64_t pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);

	frame_set_poison(true);
	sim_fill(pa, 0xA5);
	sim_reset_counters();
	frame_free(pa);
	ck_assert_msg(all_words(pa, FRAME_POISON(pa >> 12)),
		      "freed frame %lx not poisoned", pa);
	ck_assert_uint_eq(vmstat_get(VMSTAT_POISON_FREE), 1);
	ck_assert_uint_eq(frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY), pa);
	ck_assert_msg(sim_all(pa, 0), "poisoned frame handed out uncleared");
}
END_TEST

/* Nothing stale, nothing poisoned: a frame freed known zero, and any
 * frame under clear=free (cleared instead); poisoning off by default. */
START_TEST(poison_spares_clean_frames)
{
	uint64_t a = frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED);
	uint64_t b = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);
	uint64_t c = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);

	sim_fill(c, 0xA5);
	frame_free(c);
	ck_assert_msg(sim_all(c, 0xA5), "poisoned without page_poison");
	frame_set_poison(true);
	sim_reset_counters();
	frame_free_zeroed(a);
	ck_assert_msg(sim_all(a, 0), "a frame freed known zero was poisoned");
	frame_set_clear_policy(FRAME_CLEAR_FREE);
	sim_fill(b, 0xA5);
	frame_free(b);
	ck_assert_msg(sim_all(b, 0), "clear=free: frame not cleared at free");
	ck_assert_uint_eq(vmstat_get(VMSTAT_POISON_FREE), 0);
}
END_TEST

START_TEST(policy_idle_preclears)
{
	uint64_t pa;

	sim_reset_counters();
	pa = secret_then_realloc(FRAME_CLEAR_IDLE);
	ck_assert_msg(sim_all(pa, 0), "idle policy: frame not zero");
	ck_assert_msg(vmstat_get(VMSTAT_CLEAR_IDLE) >= 1, "no idle clear counted");
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FAULT), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_SKIPPED), 1);
}
END_TEST

START_TEST(policy_idle_fault_clears_when_not_clean)
{
	uint64_t pa;

	frame_set_clear_policy(FRAME_CLEAR_IDLE);
	pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);
	sim_fill(pa, 0xA5);
	frame_free(pa);
	sim_reset_counters();
	ck_assert_uint_eq(frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY), pa);
	ck_assert_msg(sim_all(pa, 0), "idle policy without idle time: not zero");
	ck_assert_uint_eq(vmstat_get(VMSTAT_CLEAR_FAULT), 1);
}
END_TEST

START_TEST(policy_none_leaks)
{
	uint64_t pa = secret_then_realloc(FRAME_CLEAR_NONE);

	ck_assert_msg(sim_all(pa, 0xA5),
		      "none policy must leave the old bytes (that is its point)");
}
END_TEST

START_TEST(zeroed_ignores_policy_none)
{
	uint64_t pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);

	frame_set_clear_policy(FRAME_CLEAR_NONE);
	sim_fill(pa, 0xA5);
	frame_free(pa);
	ck_assert_uint_eq(frame_alloc_page(FRAME_PAGETABLE, FRAME_ZEROED), pa);
	ck_assert_msg(sim_all(pa, 0), "FRAME_ZEROED must clear even under none");
}
END_TEST

START_TEST(idle_clear_only_under_idle_and_dirty)
{
	uint64_t dirty0;

	ck_assert_uint_eq(frame_idle_clear_some(4), 0);     /* policy fault */
	frame_set_clear_policy(FRAME_CLEAR_IDLE);
	dirty0 = frame_count_free_dirty();
	ck_assert_uint_eq(frame_idle_clear_some(4), 4);
	ck_assert_uint_eq(frame_count_free_dirty(), dirty0 - 4);
	while (frame_idle_clear_some(1000))
		;
	ck_assert_uint_eq(frame_count_free_dirty(), 0);
	ck_assert_uint_eq(frame_idle_clear_some(4), 0);
}
END_TEST

START_TEST(idle_clears_frames_off_the_hot_list)
{
	uint64_t pa = frame_alloc_page(FRAME_ANON, FRAME_NOZERO);

	frame_set_clear_policy(FRAME_CLEAR_IDLE);
	sim_fill(pa, 0xA5);
	frame_free(pa);
	frame_drain_hot();                 /* now in a buddy block */
	while (frame_idle_clear_some(1000))
		;
	ck_assert_msg(sim_all(pa, 0), "idle scan left a buddy frame dirty");
	ck_assert_msg(frame_of(pa)->flags & FRAME_F_CLEAN, "not marked clean");
}
END_TEST

START_TEST(clean_bit_dropped_on_free)
{
	uint64_t pa;

	frame_set_clear_policy(FRAME_CLEAR_IDLE);
	while (frame_idle_clear_some(1000))
		;
	pa = frame_alloc_page(FRAME_ANON, FRAME_ZEROED_POLICY);
	sim_fill(pa, 0xA5);
	frame_free(pa);
	ck_assert_msg(!(frame_of(pa)->flags & FRAME_F_CLEAN),
		      "a used frame came back marked clean");
	ck_assert_uint_eq(frame_count_free_dirty(), 1);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "counts_add_up", counts_add_up, 0 },
		{ "table_placed_in_free_ram", table_placed_in_free_ram, 0 },
		{ "init_marks_exactly_the_used_ranges", init_marks_exactly_the_used_ranges, 0 },
		{ "init_rejects_tiny_and_full", init_rejects_tiny_and_full, 0 },
		{ "lifo_reuse", lifo_reuse, 0 },
		{ "buddy_split_aligned", buddy_split_aligned, 0 },
		{ "buddy_merges_back", buddy_merges_back, 0 },
		{ "buddy_pairs_merge", buddy_pairs_merge, 0 },
		{ "refcount_get_put", refcount_get_put, 0 },
		{ "put_zero_page_panics", put_zero_page_panics, SIGABRT },
		{ "free_mapped_panics", free_mapped_panics, SIGABRT },
		{ "double_put_panics", double_put_panics, SIGABRT },
		{ "policy_names", policy_names, 0 },
		{ "policy_fault_clears_at_alloc", policy_fault_clears_at_alloc, 0 },
		{ "policy_free_clears_at_free", policy_free_clears_at_free, 0 },
		{ "poison_fills_freed_frames", poison_fills_freed_frames, 0 },
		{ "poison_spares_clean_frames", poison_spares_clean_frames, 0 },
		{ "policy_idle_preclears", policy_idle_preclears, 0 },
		{ "policy_idle_fault_clears_when_not_clean",
		  policy_idle_fault_clears_when_not_clean, 0 },
		{ "policy_none_leaks", policy_none_leaks, 0 },
		{ "zeroed_ignores_policy_none", zeroed_ignores_policy_none, 0 },
		{ "idle_clear_only_under_idle_and_dirty",
		  idle_clear_only_under_idle_and_dirty, 0 },
		{ "idle_clears_frames_off_the_hot_list",
		  idle_clears_frames_off_the_hot_list, 0 },
		{ "clean_bit_dropped_on_free", clean_bit_dropped_on_free, 0 },
	};

	return unit_run("mm_frame", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
