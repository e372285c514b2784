/*
 * test_walk.c: the host page walker (vmm/walk.c) over a fake guest RAM
 * with tables built by hand: translations at every page size, effective
 * rights across levels, reserved bits, tables outside RAM, the formatted
 * walk, and the user-half iterator.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "test_walk_ram.h"
#include "unit_main.h"

#define VA    0x0000000000401123ULL
#define VA2M  0x0000000040000000ULL
#define VAHI  0x00007ffffffff000ULL

static uint64_t root;

static void setup(void)
{
	tram_setup();
	root = tram_frame();
}

static void teardown(void)
{
	tram_teardown();
}

START_TEST(translates_4k_page)
{
	uint64_t frame = tram_frame();
	struct walk w;

	tram_map(root, VA, frame, PTE_RW | PTE_US | PTE_NX, 0);
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VA, &w), WALK_OK);
	ck_assert_uint_eq(w.pa, frame + 0x123);
	ck_assert_uint_eq(w.page_size, 4096);
	ck_assert_int_eq(w.nsteps, 4);
	ck_assert_uint_eq(w.step[0].level, 3);
	ck_assert_uint_eq(w.step[2].index, PX(1, VA));
	ck_assert_uint_eq(w.step[3].index, PX(0, VA));
	ck_assert_msg((w.eff & (PTE_P | PTE_RW | PTE_US | PTE_NX)) ==
		      (PTE_P | PTE_RW | PTE_US | PTE_NX),
		      "effective flags 0x%llx, expected P RW US NX",
		      (unsigned long long)w.eff);
}
END_TEST

START_TEST(translates_2m_page)
{
	struct walk w;

	tram_map(root, VA2M, 0x200000, PTE_US, 1);
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VA2M + 0x12345,
				 &w), WALK_OK);
	ck_assert_uint_eq(w.pa, 0x200000 + 0x12345);
	ck_assert_uint_eq(w.page_size, 2ULL << 20);
	ck_assert_int_eq(w.nsteps, 3);
}
END_TEST

/* RW and US are AND-ed over the levels, NX OR-ed. */
START_TEST(effective_rights_accumulate)
{
	uint64_t frame = tram_frame();
	struct walk w;

	tram_map(root, VA, frame, PTE_RW | PTE_US, 0);
	*tram_word(tram_entry(root, VA, 1)) &= ~PTE_RW;     /* PDE read-only */
	*tram_word(tram_entry(root, VA, 2)) |= PTE_NX;      /* PDPTE no-exec */
	walk_va(&tram_mem, &tram_mode, root, VA, &w);
	ck_assert_msg(!(w.eff & PTE_RW), "RW survived a read-only PDE: eff "
		      "0x%llx", (unsigned long long)w.eff);
	ck_assert_msg(w.eff & PTE_NX, "NX of the PDPTE lost: eff 0x%llx",
		      (unsigned long long)w.eff);
	ck_assert_msg(w.eff & PTE_US, "US lost: eff 0x%llx",
		      (unsigned long long)w.eff);
	*tram_word(tram_entry(root, VA, 3)) &= ~PTE_US;     /* PML4E kernel */
	walk_va(&tram_mem, &tram_mode, root, VA, &w);
	ck_assert_msg(!(w.eff & PTE_US), "US survived a supervisor PML4E");
}
END_TEST

START_TEST(not_present_stops)
{
	struct walk w;

	tram_map(root, VA, tram_frame(), PTE_US, 0);
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VA + 0x1000, &w),
			 WALK_NOT_PRESENT);
	ck_assert_int_eq(w.nsteps, 4);
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VAHI, &w),
			 WALK_NOT_PRESENT);
	ck_assert_int_eq(w.nsteps, 1);
}
END_TEST

static struct walk_problem seen_problem;
static int nproblems, nleaves;
static uint64_t leaf_va[16];

static void on_problem(void *arg, const struct walk_problem *p)
{
	(void)arg;
	seen_problem = *p;
	nproblems++;
}

static int on_leaf(void *arg, const struct walk_leaf *l)
{
	(void)arg;
	if (nleaves < 16)
		leaf_va[nleaves] = l->va;
	nleaves++;
	return 0;
}

static const struct walk_visitor visitor = {
	.leaf = on_leaf, .problem = on_problem,
};

START_TEST(table_outside_ram_reported_not_followed)
{
	struct walk w;

	tram_map(root, VA, tram_frame(), PTE_US, 0);
	*tram_word(tram_entry(root, VA, 2)) = 0x40000000ULL | TRAM_TBL;
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VA, &w),
			 WALK_OUTSIDE_RAM);
	ck_assert_uint_eq(w.step[w.nsteps - 1].table, 0x40000000ULL);

	nproblems = nleaves = 0;
	walk_user(&tram_mem, &tram_mode, root, &visitor);
	ck_assert_int_eq(nproblems, 1);
	ck_assert_int_eq(seen_problem.kind, WALK_PROB_TABLE_OUTSIDE_RAM);
	ck_assert_uint_eq(seen_problem.bits, 0x40000000ULL);
	ck_assert_int_eq(seen_problem.level, 2);
	ck_assert_int_eq(nleaves, 0);
}
END_TEST

/* A table that maps itself at every level and a fan-out (every entry of
 * a level at the one table below): each table is read once, the other
 * paths are TABLE_ALIAS problems, not 256 * 512^3 leaves. */
START_TEST(aliased_tables_read_once)
{
	uint64_t t = tram_frame(), u = tram_frame();

	for (int i = 0; i < 256; i++)
		*tram_word(root + 8ULL * i) = root | TRAM_TBL;
	nproblems = nleaves = 0;
	ck_assert_int_eq(walk_user(&tram_mem, &tram_mode, root, &visitor), 0);
	ck_assert_int_eq(nproblems, 256);
	ck_assert_int_eq(seen_problem.kind, WALK_PROB_TABLE_ALIAS);
	ck_assert_uint_eq(seen_problem.bits, root);
	ck_assert_int_eq(nleaves, 0);

	for (int i = 0; i < 256; i++)
		*tram_word(root + 8ULL * i) = t | TRAM_TBL;
	for (int i = 0; i < 512; i++) {
		*tram_word(t + 8ULL * i) = u | TRAM_TBL;
		*tram_word(u + 8ULL * i) = PTE_P | PTE_US | PTE_PS; /* 2 MiB at 0 */
	}
	nproblems = nleaves = 0;
	ck_assert_int_eq(walk_user(&tram_mem, &tram_mode, root, &visitor), 0);
	ck_assert_int_eq(nproblems, 255 + 511);
	ck_assert_int_eq(nleaves, 512);
}
END_TEST

START_TEST(reserved_bits_detected)
{
	struct walk_mode nonx = tram_mode;
	uint64_t e = 0x1000 | PTE_P;

	ck_assert_uint_eq(walk_reserved(&tram_mode, 0, e | 1ULL << 50),
			  1ULL << 50);                  /* above MAXPHYADDR 46 */
	ck_assert_uint_eq(walk_reserved(&tram_mode, 0, e | 1ULL << 45), 0);
	ck_assert_uint_eq(walk_reserved(&tram_mode, 3, e | PTE_PS), PTE_PS);
	ck_assert_uint_eq(walk_reserved(&tram_mode, 2, e | PTE_PS), PTE_PS);
	ck_assert_uint_eq(walk_reserved(&tram_mode, 1, e | PTE_PS | 1ULL << 13),
			  1ULL << 13);                  /* 2 MiB leaf, bit 13 */
	ck_assert_uint_eq(walk_reserved(&tram_mode, 0, e | PTE_PS), 0); /* PAT */
	ck_assert_uint_eq(walk_reserved(&tram_mode, 0, e | PTE_SW_PROTNONE), 0);
	nonx.nxe = false;
	ck_assert_uint_eq(walk_reserved(&nonx, 0, e | PTE_NX), PTE_NX);
}
END_TEST

START_TEST(reserved_bits_stop_the_walk)
{
	struct walk w;

	tram_map(root, VA, tram_frame(), PTE_US, 0);
	*tram_word(tram_entry(root, VA, 0)) |= 1ULL << 49;
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root, VA, &w),
			 WALK_RESERVED);
	ck_assert_uint_eq(w.step[3].rsvd, 1ULL << 49);
	nproblems = nleaves = 0;
	walk_user(&tram_mem, &tram_mode, root, &visitor);
	ck_assert_int_eq(nproblems, 1);
	ck_assert_int_eq(seen_problem.kind, WALK_PROB_RESERVED);
	ck_assert_uint_eq(seen_problem.bits, 1ULL << 49);
	ck_assert_int_eq(nleaves, 0);
}
END_TEST

START_TEST(noncanonical_rejected)
{
	struct walk w;

	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root,
				 0x0000800000000000ULL, &w), WALK_NONCANONICAL);
	ck_assert_int_eq(w.nsteps, 0);
}
END_TEST

START_TEST(format_level_by_level)
{
	char text[512];
	struct walk w;
	uint64_t frame = tram_frame(), pml4 = root;
	uint64_t pdpt, pd, pt;
	char want[512];

	tram_map(root, VA, frame, PTE_US | PTE_NX | PTE_A, 0);
	pdpt = PTE_ADDR(*tram_word(tram_entry(root, VA, 3)));
	pd = PTE_ADDR(*tram_word(tram_entry(root, VA, 2)));
	pt = PTE_ADDR(*tram_word(tram_entry(root, VA, 1)));
	(void)pml4;
	walk_va(&tram_mem, &tram_mode, root, VA, &w);
	walk_format(&w, text, sizeof(text));
	snprintf(want, sizeof(want),
		 "PML4[0]=0x%llx(P RW US) -> PDPT[0]=0x%llx(P RW US) -> "
		 "PD[2]=0x%llx(P RW US) -> PT[1]=0x%llx(P US A NX) -> "
		 "frame 0x%llx + 0x123 (4 KiB page)",
		 (unsigned long long)(pdpt | TRAM_TBL),
		 (unsigned long long)(pd | TRAM_TBL),
		 (unsigned long long)(pt | TRAM_TBL),
		 (unsigned long long)(frame | PTE_P | PTE_US | PTE_NX | PTE_A),
		 (unsigned long long)frame);
	ck_assert_str_eq(text, want);
}
END_TEST

/* Only the user half, in VA order; the kernel half is not visited. */
START_TEST(iterates_user_leaves_in_order)
{
	tram_map(root, VAHI, tram_frame(), PTE_US | PTE_RW, 0);
	tram_map(root, 0x400000, tram_frame(), PTE_US, 0);
	tram_map(root, 0x401000, tram_frame(), PTE_US, 0);
	tram_map(root, 0xffff888000000000ULL, 0, PTE_RW, 1);  /* direct map */
	nproblems = nleaves = 0;
	walk_user(&tram_mem, &tram_mode, root, &visitor);
	ck_assert_int_eq(nproblems, 0);
	ck_assert_int_eq(nleaves, 3);
	ck_assert_uint_eq(leaf_va[0], 0x400000);
	ck_assert_uint_eq(leaf_va[1], 0x401000);
	ck_assert_uint_eq(leaf_va[2], VAHI);
}
END_TEST

START_TEST(five_level_paging)
{
	struct walk w;
	uint64_t frame;

	tram_mode.levels = 5;
	frame = tram_frame();
	tram_map(root, 0x00ff000000400000ULL, frame, PTE_US, 0);
	ck_assert_int_eq(walk_va(&tram_mem, &tram_mode, root,
				 0x00ff000000400008ULL, &w), WALK_OK);
	ck_assert_int_eq(w.nsteps, 5);
	ck_assert_uint_eq(w.step[0].index, 0xff);      /* bits 56..48 */
	ck_assert_uint_eq(w.pa, frame + 8);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "translates_4k_page", translates_4k_page, 0 },
		{ "translates_2m_page", translates_2m_page, 0 },
		{ "effective_rights_accumulate", effective_rights_accumulate, 0 },
		{ "not_present_stops", not_present_stops, 0 },
		{ "table_outside_ram_reported_not_followed", table_outside_ram_reported_not_followed, 0 },
		{ "reserved_bits_detected", reserved_bits_detected, 0 },
		{ "reserved_bits_stop_the_walk", reserved_bits_stop_the_walk, 0 },
		{ "noncanonical_rejected", noncanonical_rejected, 0 },
		{ "format_level_by_level", format_level_by_level, 0 },
		{ "iterates_user_leaves_in_order", iterates_user_leaves_in_order, 0 },
		{ "five_level_paging", five_level_paging, 0 },
		{ "aliased_tables_read_once", aliased_tables_read_once, 0 },
	};

	return unit_run("walk", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
