/*
 * test_mm_pgtable.c: 4-level tables (mm/pgtable.c) checked by the
 * software MMU: every level and flag, table counts and freeing, the
 * shared kernel half, and the TLB rule (flush counts and coherence).
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "guest/memlayout.h"
#include "unit_main.h"
#include "mm/env.h"
#include "mm/errno.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

#define VA  0x0000000000400000ULL
#define VA2 0x00007f0000001000ULL

static uint64_t root, page, free_after_root;

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	root = pt_alloc_root();
	page = frame_alloc(0, FRAME_ANON);
	frame_of(page)->mapcount = 1;   /* pretend a mapping owns it */
	free_after_root = frame_count_free();
	sim_cr3 = root;
	sim_reset_counters();
}

static void teardown(void)
{
	/* the pretend mappings are below the rmap's layer: drop them */
	for (uint64_t i = 0; sim_mem && i < frame_count_total(); i++)
		if (frame_table[i].state == FRAME_ANON)
			frame_table[i].mapcount = 0;
	SIM_CHECK_RMAP();
	sim_fini();
}

static uint64_t entry(uint64_t table, int level, uint64_t va)
{
	return ((uint64_t *)(sim_mem + table))[PX(level, va)];
}

START_TEST(map_sets_every_level)
{
	struct sim_xlate x;
	uint64_t t = root;
	int level;

	ck_assert_int_eq(pt_map(root, VA, page, PTE_US | PTE_RW | PTE_NX), 0);
	for (level = 3; level > 0; level--) {
		uint64_t e = entry(t, level, VA);

		ck_assert_msg((e & 0xfff) == (PTE_P | PTE_RW | PTE_US),
			      "level %d entry flags %lx, expected P|RW|US", level,
			      e & 0xfff);
		t = PTE_ADDR(e);
		ck_assert_msg(frame_of(t)->state == FRAME_PAGETABLE,
			      "level %d table is %s", level - 1,
			      frame_state_name(frame_of(t)->state));
		ck_assert_msg(frame_of(t)->count == 1, "level %d count %u, expected 1",
			      level - 1, frame_of(t)->count);
	}
	ck_assert_uint_eq(entry(t, 0, VA), page | PTE_P | PTE_RW | PTE_US | PTE_NX);
	ck_assert_int_eq(sim_walk(root, VA + 0x123, &x), 0);
	ck_assert_msg(x.pa == page + 0x123 && x.rw && x.us && x.nx && x.level == 0,
		      "walk pa %lx rw %d us %d nx %d level %d", x.pa, x.rw, x.us,
		      x.nx, x.level);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_ALLOC), 3);
	ck_assert_uint_eq(frame_count_free(), free_after_root - 3);
	ck_assert_msg(sim_flush_page_calls == 0 && sim_flush_all_calls == 0,
		      "filling a not-present PTE flushed (%lu, %lu)",
		      sim_flush_page_calls, sim_flush_all_calls);
}
END_TEST

START_TEST(map_readonly_user_exec)
{
	struct sim_xlate x;

	ck_assert_int_eq(pt_map(root, VA, page, PTE_US), 0);
	ck_assert_int_eq(sim_walk(root, VA, &x), 0);
	ck_assert_msg(!x.rw && x.us && !x.nx, "rw %d us %d nx %d", x.rw, x.us, x.nx);
	ck_assert_uint_eq(sim_access(root, VA, SIM_USER | SIM_WRITE, NULL),
			  PF_ERR_P | PF_ERR_W | PF_ERR_U);
	ck_assert_uint_eq(sim_access(root, VA, SIM_USER | SIM_FETCH, NULL), 0);
}
END_TEST

START_TEST(kernel_half_shared)
{
	struct sim_xlate x;

	ck_assert_uint_eq(entry(root, 3, DIRECT_MAP_BASE),
			  entry(sim_kernel_root, 3, DIRECT_MAP_BASE));
	ck_assert_int_eq(sim_walk(root, DIRECT_MAP_BASE + 0x5008, &x), 0);
	ck_assert_msg(x.pa == 0x5008 && x.level == 1 && !x.us && x.nx,
		      "direct map via user root: pa %lx level %d us %d", x.pa,
		      x.level, x.us);
	ck_assert_uint_eq(sim_access(root, DIRECT_MAP_BASE, SIM_USER, NULL),
			  PF_ERR_P | PF_ERR_U);
	ck_assert_uint_eq(frame_of(root)->count, 0);   /* kernel slots uncounted */
}
END_TEST

START_TEST(map_twice_eexist)
{
	int level;

	ck_assert_int_eq(pt_map(root, VA, page, PTE_US), 0);
	ck_assert_int_eq(pt_map(root, VA, page, PTE_US), -MM_EEXIST);
	ck_assert_int_eq(pt_map(sim_kernel_root, DIRECT_MAP_BASE + 4096, page, 0),
			 -MM_EEXIST);
	ck_assert_ptr_null(pt_walk(root, VA2, &level));
	ck_assert_ptr_nonnull(pt_walk(sim_kernel_root, DIRECT_MAP_BASE, &level));
	ck_assert_int_eq(level, 1);
}
END_TEST

START_TEST(unmap_frees_empty_tables)
{
	struct sim_xlate x;
	uint64_t old;

	pt_map(root, VA, page, PTE_US | PTE_RW);
	sim_access(root, VA, SIM_USER | SIM_WRITE, NULL);
	sim_reset_counters();
	old = pt_unmap(root, VA);
	ck_assert_uint_eq(PTE_ADDR(old), page);
	ck_assert_msg(old & PTE_D, "MMU-set dirty bit not returned: %lx", old);
	ck_assert_uint_eq(frame_count_free(), free_after_root);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_FREE), 3);
	ck_assert_uint_eq(frame_of(root)->count, 0);
	ck_assert_int_eq(sim_walk(root, VA, &x), -1);
	ck_assert_msg(x.level == 3, "walk stopped at level %d, expected 3", x.level);
	ck_assert_msg(sim_flush_page_calls == 1,
		      "unmap issued %lu INVLPGs, expected 1 (coalesced)",
		      sim_flush_page_calls);
	ck_assert_uint_eq(pt_unmap(root, VA), 0);
}
END_TEST

START_TEST(unmap_keeps_shared_table)
{
	uint64_t *pte;
	int level;

	pt_map(root, VA, page, PTE_US);
	pt_map(root, VA + 4096, page, PTE_US);
	pt_unmap(root, VA);
	pte = pt_walk(root, VA, &level);
	ck_assert_ptr_nonnull(pte);
	ck_assert_uint_eq(*pte, 0);
	ck_assert_uint_eq(frame_of(env_v2p(pte))->count, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_FREE), 0);
}
END_TEST

START_TEST(protect_flush_rule)
{
	pt_map(root, VA, page, PTE_US | PTE_RW);
	ck_assert_int_eq(pt_protect(root, VA, 0, PTE_RW), 0);
	ck_assert_msg(sim_flush_page_calls == 1, "lowering RW: %lu flushes",
		      sim_flush_page_calls);
	pt_protect(root, VA, PTE_RW, 0);
	ck_assert_msg(sim_flush_page_calls == 1, "raising RW flushed");
	pt_protect(root, VA, PTE_NX, 0);
	ck_assert_msg(sim_flush_page_calls == 2, "setting NX did not flush");
	pt_protect(root, VA, 0, PTE_NX);
	ck_assert_msg(sim_flush_page_calls == 2, "clearing NX flushed");
	pt_protect(root, VA, PTE_SW_SHARED, 0);
	ck_assert_msg(sim_flush_page_calls == 2, "software bit flushed");
	ck_assert_int_eq(pt_protect(root, VA2, 0, PTE_RW), -MM_EFAULT);
}
END_TEST

START_TEST(tlb_stays_coherent)
{
	char why[200];
	uint64_t other = frame_alloc(0, FRAME_ANON), *pte;
	int level;

	frame_of(other)->mapcount = 1;
	pt_map(root, VA, page, PTE_US | PTE_RW);
	ck_assert_uint_eq(sim_access(root, VA, SIM_USER | SIM_WRITE, NULL), 0);
	pt_protect(root, VA, 0, PTE_RW);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
	pte = pt_walk(root, VA, &level);
	pt_update(root, VA, pte, other | PTE_P | PTE_US);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
	sim_access(root, VA, SIM_USER, NULL);
	pt_unmap(root, VA);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}
END_TEST

START_TEST(frame_change_flushes)
{
	char why[200];
	uint64_t other = frame_alloc(0, FRAME_ANON), *pte;
	int level;

	frame_of(other)->mapcount = 1;
	pt_map(root, VA, page, PTE_US | PTE_RW);
	sim_access(root, VA, SIM_USER | SIM_WRITE, NULL);   /* sets A, D */
	pte = pt_walk(root, VA, &level);
	sim_reset_counters();
	pt_update(root, VA, pte, other | PTE_FLAGS(*pte));  /* same flags */
	ck_assert_msg(sim_flush_page_calls == 1,
		      "changing only the frame: %lu flushes, expected 1",
		      sim_flush_page_calls);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}
END_TEST

START_TEST(fill_does_not_flush)
{
	uint64_t *pte;
	int level;

	pt_map(root, VA, page, PTE_US);
	pt_unmap(root, VA + 4096);
	pt_map(root, VA + 4096, page, PTE_US);
	pte = pt_walk(root, VA + 8192, &level);
	sim_reset_counters();
	pt_update(root, VA + 8192, pte, page | PTE_P | PTE_US);
	ck_assert_msg(sim_flush_page_calls + sim_flush_all_calls == 0,
		      "filling empty PTEs flushed %lu + %lu times",
		      sim_flush_page_calls, sim_flush_all_calls);
}
END_TEST

START_TEST(tlb_checker_sees_stale)
{
	char why[200];
	uint64_t *pte;
	int level;

	pt_map(root, VA, page, PTE_US | PTE_RW);
	sim_access(root, VA, SIM_USER | SIM_WRITE, NULL);
	pte = pt_walk(root, VA, &level);
	*pte &= ~PTE_RW;            /* behind the TLB rule's back */
	ck_assert_msg(!sim_tlb_coherent(why, sizeof(why)),
		      "the simulated TLB missed a stale entry");
}
END_TEST

static uint64_t drop(void *arg, uint64_t va, uint64_t pte)
{
	(void)va;
	(*(int *)arg)++;
	frame_of(PTE_ADDR(pte))->mapcount--;
	return 0;
}

START_TEST(apply_range_big_flushes_once)
{
	int i, n = 0;

	for (i = 0; i < 100; i++)
		pt_map(root, VA + i * 4096ULL, page, PTE_US);
	frame_of(page)->mapcount = 100;
	pt_map(root, VA2, page, PTE_US);        /* outside the range */
	frame_of(page)->mapcount++;
	sim_reset_counters();
	pt_apply_range(root, VA, VA + 100 * 4096ULL, drop, &n);
	ck_assert_int_eq(n, 100);
	ck_assert_msg(sim_flush_all_calls == 1 && sim_flush_page_calls == 0,
		      "100 pages: %lu full, %lu page flushes; expected 1, 0",
		      sim_flush_all_calls, sim_flush_page_calls);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PT_FREE), 3);  /* PT, PD, PDPT of VA */
	ck_assert_uint_ne(sim_pte(root, VA2), 0);
}
END_TEST

START_TEST(apply_range_small_flushes_each)
{
	int i, n = 0;

	for (i = 0; i < 4; i++)
		pt_map(root, VA + i * 4096ULL, page, PTE_US);
	frame_of(page)->mapcount = 4;
	sim_reset_counters();
	pt_apply_range(root, VA, VA + 8 * 4096ULL, drop, &n);
	ck_assert_int_eq(n, 4);
	ck_assert_msg(sim_flush_page_calls == 4 && sim_flush_all_calls == 0,
		      "4 pages: %lu page, %lu full flushes; expected 4, 0",
		      sim_flush_page_calls, sim_flush_all_calls);
	ck_assert_uint_eq(frame_count_free(), free_after_root);
}
END_TEST

START_TEST(apply_range_skips_empty)
{
	int n = 0;

	pt_map(root, VA2, page, PTE_US);
	pt_apply_range(root, 0, USER_END, drop, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_uint_eq(frame_count_free(), free_after_root);
}
END_TEST

START_TEST(destroy_returns_tables)
{
	uint64_t free0;

	pt_map(root, VA, page, PTE_US);
	pt_map(root, VA2, page, PTE_US);
	pt_unmap(root, VA);
	pt_unmap(root, VA2);
	free0 = frame_count_free();
	pt_destroy(root);
	ck_assert_uint_eq(frame_count_free(), free0 + 1);
}
END_TEST

START_TEST(destroy_mapped_panics)
{
	sim_expect_panic("still maps");
	pt_map(root, VA, page, PTE_US);
	pt_destroy(root);
}
END_TEST

START_TEST(map_enomem_gives_tables_back)
{
	uint64_t free0;

	while (frame_count_free() > 2)
		frame_alloc(0, FRAME_ANON);
	free0 = frame_count_free();
	ck_assert_int_eq(pt_map(root, VA, page, PTE_US), -MM_ENOMEM);
	ck_assert_uint_eq(frame_count_free(), free0);
	ck_assert_uint_eq(frame_of(root)->count, 0);
	ck_assert_uint_eq(entry(root, 3, VA), 0);
}
END_TEST

START_TEST(map_large_direct)
{
	struct sim_xlate x;

	ck_assert_int_eq(pt_map_large(sim_kernel_root, DIRECT_MAP_BASE + (2 << 20),
				      2 << 20, PTE_RW | PTE_NX), 0);
	ck_assert_int_eq(sim_walk(root, DIRECT_MAP_BASE + (2 << 20) + 0x1234, &x), 0);
	ck_assert_msg(x.pa == (2 << 20) + 0x1234 && x.level == 1,
		      "pa %lx level %d", x.pa, x.level);
	ck_assert_int_eq(pt_map_large(root, 0x1000, 0, 0), -MM_EINVAL);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "map_sets_every_level", map_sets_every_level, 0 },
		{ "map_readonly_user_exec", map_readonly_user_exec, 0 },
		{ "kernel_half_shared", kernel_half_shared, 0 },
		{ "map_twice_eexist", map_twice_eexist, 0 },
		{ "unmap_frees_empty_tables", unmap_frees_empty_tables, 0 },
		{ "unmap_keeps_shared_table", unmap_keeps_shared_table, 0 },
		{ "protect_flush_rule", protect_flush_rule, 0 },
		{ "tlb_stays_coherent", tlb_stays_coherent, 0 },
		{ "frame_change_flushes", frame_change_flushes, 0 },
		{ "fill_does_not_flush", fill_does_not_flush, 0 },
		{ "tlb_checker_sees_stale", tlb_checker_sees_stale, 0 },
		{ "apply_range_big_flushes_once", apply_range_big_flushes_once, 0 },
		{ "apply_range_small_flushes_each", apply_range_small_flushes_each, 0 },
		{ "apply_range_skips_empty", apply_range_skips_empty, 0 },
		{ "destroy_returns_tables", destroy_returns_tables, 0 },
		{ "destroy_mapped_panics", destroy_mapped_panics, SIGABRT },
		{ "map_enomem_gives_tables_back", map_enomem_gives_tables_back, 0 },
		{ "map_large_direct", map_large_direct, 0 },
	};

	return unit_run("mm_pgtable", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
