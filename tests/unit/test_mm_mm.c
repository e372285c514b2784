/*
 * test_mm_mm.c: address-space lifetime (mm/mm.c): creation shares the
 * kernel half, destruction returns every frame and every table page.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/mmap.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_mm"
#define ANON (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS)
#define RW   (MM_PROT_READ | MM_PROT_WRITE)

static uint64_t free0;

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	free0 = frame_count_free();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

START_TEST(create_shares_kernel_half)
{
	struct mm *mm = mm_create();
	uint64_t *u, *k;

	ck_assert_ptr_nonnull(mm);
	u = (uint64_t *)(sim_mem + mm_root(mm));
	k = (uint64_t *)(sim_mem + sim_kernel_root);
	for (int i = 0; i < 512; i++)
		ck_assert_msg(u[i] == (i >= 256 ? k[i] : 0),
			      "PML4[%d] = %lx, kernel has %lx", i, u[i], k[i]);
	ck_assert_uint_eq(mm->mmap_top, USER_MMAP_TOP);
	ck_assert_uint_eq(mm->stack_limit, USER_STACK_LIMIT);
	ck_assert_uint_eq(frame_count_free(), free0 - 2);   /* root + slab page */
	mm_destroy(mm);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

START_TEST(destroy_returns_everything)
{
	struct mm *mm = mm_create(), *other = mm_create();
	uint64_t i, held;
	uint8_t b;

	sim_cr3 = mm_root(mm);
	mm_mmap(mm, 0x400000, 64 << 12, RW, ANON | MM_MAP_FIXED);
	mm_mmap(mm, 0x7f0000000000UL, 16 << 12, MM_PROT_READ, ANON | MM_MAP_FIXED);
	mm_mmap(mm, USER_STACK_TOP - (16 << 12), 16 << 12, RW,
		ANON | MM_MAP_FIXED | MM_MAP_GROWSDOWN);
	mm_set_brk_base(mm, 0x800000);
	mm_brk(mm, 0x800000 + (8 << 12));
	held = frame_count_free();
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(sim_user_write8(mm, 0x400000 + (i << 12), 1), -1);
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(sim_user_read8(mm, 0x7f0000000000UL + (i << 12), &b), -1);
	ck_assert_int_eq(sim_user_write8(mm, USER_STACK_TOP - (40 << 12), 1), -1);
	ck_assert_int_eq(sim_user_write8(mm, 0x800000, 1), -1);
	ck_assert_msg(frame_count_free() < held - 64, "faults took no frames?");
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 16);
	sim_cr3 = sim_kernel_root;
	mm_destroy(mm);
	mm_destroy(other);
	ck_assert_msg(frame_count_free() == free0,
		      "after destroy %lu frames free, expected %lu",
		      frame_count_free(), free0);
	ck_assert_uint_eq(frame_count_state(FRAME_PAGETABLE), 3);  /* kernel's */
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), 0);
	ck_assert_uint_eq(frame_of(mm_zero_page())->mapcount, 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_ALLOC), vmstat_get(VMSTAT_PT_FREE));
}
END_TEST

START_TEST(destroy_with_stray_mapping_panics)
{
	struct mm *mm = mm_create();
	uint64_t pa = frame_alloc(0, FRAME_ANON);
	sim_expect_panic("pt_destroy: 400000 still maps");

	frame_of(pa)->mapcount = 1;
	pt_map(mm_root(mm), 0x400000, pa, PTE_US);   /* outside any VMA */
	mm_destroy(mm);
}
END_TEST

START_TEST(owner_name_truncated)
{
	struct mm *mm = mm_create();

	mm_set_owner(mm, 42, "a-very-long-program-name");
	ck_assert_int_eq(mm->pid, 42);
	ck_assert_str_eq(mm->name, "a-very-long-pro");
	mm_set_owner(mm, 1, NULL);
	ck_assert_str_eq(mm->name, "");
}
END_TEST

START_TEST(brk_base_rounds_up)
{
	struct mm *mm = mm_create();

	mm_set_brk_base(mm, 0x601001);
	ck_assert_uint_eq(mm_brk_base(mm), 0x602000);
	ck_assert_uint_eq(mm_brk(mm, 0), 0x602000);
}
END_TEST

START_TEST(create_fails_cleanly)
{
	while (frame_count_free() > 1)
		frame_alloc(0, FRAME_KERNEL);
	ck_assert_ptr_null(mm_create());     /* slab page ok, root fails */
	ck_assert_uint_eq(frame_count_free(), 1);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "create_shares_kernel_half", create_shares_kernel_half, 0 },
		{ "destroy_returns_everything", destroy_returns_everything, 0 },
		{ "destroy_with_stray_mapping_panics", destroy_with_stray_mapping_panics,
		  SIGABRT },
		{ "owner_name_truncated", owner_name_truncated, 0 },
		{ "brk_base_rounds_up", brk_base_rounds_up, 0 },
		{ "create_fails_cleanly", create_fails_cleanly, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
