/*
 * test_mm_mmap.c: mmap, munmap, mprotect, brk and madvise (mm/mmap.c):
 * Linux semantics and errno values, VMA splits and merges, frames and
 * tables returned, PTEs rewritten with the TLB kept coherent.
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/mmap.h"
#include "mm/vmstat.h"

#define PG   4096UL
#define ANON (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS)
#define RW   (MM_PROT_READ | MM_PROT_WRITE)
#define FIX  0x30000000UL

static struct mm *mm;
static uint64_t free0;
static char why[256];

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	mm = mm_create();
	free0 = frame_count_free();
	sim_cr3 = mm->root;
	sim_reset_counters();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

static void consistent(void)
{
	ck_assert_msg(sim_check_tables(mm->root, why, sizeof(why), NULL), "%s", why);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}

static void fill(uint64_t va, uint64_t pages, uint8_t v)
{
	uint64_t i;

	for (i = 0; i < pages; i++)
		ck_assert_int_eq(sim_user_write8(mm, va + i * PG, v), -1);
}

static uint8_t peek(uint64_t va)
{
	uint8_t b = 0xee;

	ck_assert_int_eq(sim_user_read8(mm, va, &b), -1);
	return b;
}

static void expect_vmas(const uint64_t *r, unsigned n)
{
	struct vma *v = mm->vmas.head;
	unsigned i;

	for (i = 0; i < n; i++, v = v->next) {
		ck_assert_msg(v, "%u VMAs, expected %u", i, n);
		ck_assert_msg(v->start == r[2 * i] && v->end == r[2 * i + 1],
			      "VMA %u is %lx-%lx, expected %lx-%lx", i, v->start,
			      v->end, r[2 * i], r[2 * i + 1]);
	}
	ck_assert_msg(!v, "more than %u VMAs", n);
}

START_TEST(mmap_topdown_rounds_and_merges)
{
	int64_t a = mm_mmap(mm, 0, 1, RW, ANON);
	int64_t b = mm_mmap(mm, 0, 2 * PG, RW, ANON);

	ck_assert_msg(a == (int64_t)(USER_MMAP_TOP - PG), "first at %lx, expected %llx",
		      a, USER_MMAP_TOP - PG);
	ck_assert_msg(b == a - 2 * (int64_t)PG, "second at %lx, expected %lx", b,
		      a - 2 * PG);
	ck_assert_msg(mm->vmas.count == 1, "%u VMAs, expected 1 (merged)",
		      mm->vmas.count);
	ck_assert_uint_eq(mm->vmas.head->start, (uint64_t)b);
}
END_TEST

START_TEST(mmap_errors)
{
	ck_assert_int_eq(mm_mmap(mm, 0, 0, RW, ANON), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap(mm, 0, PG, RW, MM_MAP_ANONYMOUS), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap(mm, 0, PG, RW, MM_MAP_ANONYMOUS | MM_MAP_SHARED_VALIDATE |
				 0x80000000), -MM_EOPNOTSUPP);
	ck_assert_int_eq(mm_mmap(mm, FIX + 1, PG, RW, ANON | MM_MAP_FIXED), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap(mm, 0, PG, RW, MM_MAP_PRIVATE), -MM_ENODEV);
	ck_assert_int_eq(mm_mmap(mm, 0, -1UL, RW, ANON), -MM_ENOMEM);
	ck_assert_int_eq(mm_mmap(mm, 0, USER_END, RW, ANON), -MM_ENOMEM);
	ck_assert_int_eq(mm_mmap(mm, USER_END - PG, 2 * PG, RW, ANON | MM_MAP_FIXED),
			 -MM_ENOMEM);
	ck_assert_int_eq(mm_mmap(mm, 0x1000, PG, RW, ANON | MM_MAP_FIXED), -MM_EPERM);
	ck_assert_int_eq(mm->vmas.count, 0);
}
END_TEST

START_TEST(mmap_ignores_unknown_bits_like_linux)
{
	int64_t a = mm_mmap(mm, 0, PG, RW | 0x8, ANON | 0x80000000);

	ck_assert_msg(a > 0, "mmap with PROT_SEM and an unknown flag: %ld", a);
	ck_assert_uint_eq(vma_find(&mm->vmas, a)->prot, RW);
	ck_assert_int_eq(mm_mprotect(mm, a, PG, MM_PROT_READ | MM_PROT_SEM), 0);
	ck_assert_int_eq(mm_mprotect(mm, a, PG, 0x01000000), -MM_EINVAL);
}
END_TEST

START_TEST(mmap_fixed_noreplace)
{
	ck_assert_int_eq(mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED_NOREPLACE),
			 (int64_t)FIX);
	ck_assert_int_eq(mm_mmap(mm, FIX + 3 * PG, 2 * PG, RW,
				 ANON | MM_MAP_FIXED_NOREPLACE), -MM_EEXIST);
	ck_assert_int_eq(mm_mmap(mm, FIX + 3 * PG, 2 * PG, RW,
				 ANON | MM_MAP_FIXED | MM_MAP_FIXED_NOREPLACE),
			 -MM_EEXIST);
	ck_assert_int_eq(mm_mmap(mm, FIX + 4 * PG, PG, RW,
				 ANON | MM_MAP_FIXED_NOREPLACE), (int64_t)(FIX + 4 * PG));
}
END_TEST

START_TEST(mmap_fixed_replaces)
{
	uint64_t r[] = { FIX, FIX + PG, FIX + PG, FIX + 3 * PG, FIX + 3 * PG, FIX + 4 * PG };

	mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 4, 0x11);
	ck_assert_uint_eq(mm->rss, 4);
	ck_assert_int_eq(mm_mmap(mm, FIX + PG, 2 * PG, MM_PROT_READ, ANON | MM_MAP_FIXED),
			 (int64_t)(FIX + PG));
	expect_vmas(r, 3);
	ck_assert_uint_eq(mm->rss, 2);
	ck_assert_uint_eq(peek(FIX + PG), 0);
	ck_assert_uint_eq(peek(FIX), 0x11);
	ck_assert_uint_eq(peek(FIX + 3 * PG), 0x11);
	consistent();
}
END_TEST

START_TEST(mmap_hint_used_when_free)
{
	ck_assert_int_eq(mm_mmap(mm, FIX + 5, PG, RW, ANON), (int64_t)FIX);
	ck_assert_int_eq(mm_mmap(mm, FIX, PG, MM_PROT_READ, ANON),
			 (int64_t)(USER_MMAP_TOP - PG));
}
END_TEST

START_TEST(mmap_populate)
{
	uint64_t i;

	mm_mmap(mm, FIX, 8 * PG, RW, ANON | MM_MAP_FIXED | MM_MAP_POPULATE);
	ck_assert_uint_eq(mm->rss, 8);
	for (i = 0; i < 8; i++)
		ck_assert_msg((sim_pte(mm->root, FIX + i * PG) & (PTE_P | PTE_RW)) ==
			      (PTE_P | PTE_RW), "page %lu not populated writable", i);
	mm_mmap(mm, FIX + 16 * PG, 8 * PG, MM_PROT_READ,
		ANON | MM_MAP_FIXED | MM_MAP_POPULATE);
	ck_assert_uint_eq(mm->nr_zero, 8);
	ck_assert_uint_eq(mm->rss, 8);
	ck_assert_uint_eq(vmstat_get(VMSTAT_KILL), 0);
	consistent();
}
END_TEST

START_TEST(munmap_middle_splits)
{
	uint64_t r[] = { FIX, FIX + 2 * PG, FIX + 4 * PG, FIX + 6 * PG };
	uint64_t free1;

	mm_mmap(mm, FIX, 6 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 6, 0x22);
	free1 = frame_count_free();
	ck_assert_int_eq(mm_munmap(mm, FIX + 2 * PG, 2 * PG), 0);
	expect_vmas(r, 2);
	ck_assert_uint_eq(frame_count_free(), free1 + 2);
	ck_assert_uint_eq(mm->rss, 4);
	ck_assert_uint_eq(peek(FIX + PG), 0x22);
	ck_assert_uint_eq(peek(FIX + 4 * PG), 0x22);
	ck_assert_int_eq(sim_user_read8(mm, FIX + 2 * PG, &(uint8_t){ 0 }),
			 MM_FAULT_SEGV_MAPERR);
	ck_assert_int_eq(sim_user_read8(mm, FIX + 4 * PG - 1, &(uint8_t){ 0 }),
			 MM_FAULT_SEGV_MAPERR);
	consistent();
}
END_TEST

START_TEST(munmap_ends_spans_and_holes)
{
	uint64_t r[] = { FIX + PG, FIX + 3 * PG, FIX + 8 * PG, FIX + 9 * PG };

	mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED);
	mm_mmap(mm, FIX + 6 * PG, 4 * PG, MM_PROT_READ, ANON | MM_MAP_FIXED);
	fill(FIX, 4, 1);
	ck_assert_int_eq(mm_munmap(mm, FIX, PG), 0);              /* start */
	ck_assert_int_eq(mm_munmap(mm, FIX + 3 * PG, 5 * PG), 0); /* span + hole */
	ck_assert_int_eq(mm_munmap(mm, FIX + 9 * PG, 1), 0);      /* end, len rounded */
	expect_vmas(r, 2);
	ck_assert_int_eq(mm_munmap(mm, FIX + 100 * PG, PG), 0);   /* nothing there */
	ck_assert_uint_eq(mm->rss, 2);
	consistent();
}
END_TEST

START_TEST(munmap_errors)
{
	ck_assert_int_eq(mm_munmap(mm, FIX + 1, PG), -MM_EINVAL);
	ck_assert_int_eq(mm_munmap(mm, FIX, 0), -MM_EINVAL);
	ck_assert_int_eq(mm_munmap(mm, USER_END - PG, 2 * PG), -MM_EINVAL);
}
END_TEST

START_TEST(munmap_everything_frees_all)
{
	mm_mmap(mm, FIX, 64 * PG, RW, ANON | MM_MAP_FIXED);
	mm_mmap(mm, 0x7f0000000000UL, 4 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 64, 3);
	fill(0x7f0000000000UL, 4, 3);
	ck_assert_int_eq(mm_munmap(mm, 0x10000, USER_END - 0x10000), 0);
	ck_assert_msg(frame_count_free() == free0,
		      "free %lu, expected %lu (as before the first mmap)",
		      frame_count_free(), free0);
	ck_assert_uint_eq(frame_of(mm->root)->count, 0);
	ck_assert_uint_eq(mm->vmas.count, 0);
}
END_TEST

START_TEST(mprotect_readonly_then_write_kills)
{
	uint64_t pte;

	mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 4, 0x33);
	sim_reset_counters();
	ck_assert_int_eq(mm_mprotect(mm, FIX, 4 * PG, MM_PROT_READ), 0);
	pte = sim_pte(mm->root, FIX);
	ck_assert_msg((pte & PTE_P) && !(pte & PTE_RW), "PTE %lx after mprotect(R)", pte);
	ck_assert_msg(pte & PTE_D, "dirty bit lost: %lx", pte);
	ck_assert_msg(sim_flush_page_calls == 4, "%lu INVLPGs, expected 4",
		      sim_flush_page_calls);
	consistent();
	ck_assert_int_eq(sim_user_write8(mm, FIX, 1), MM_FAULT_SEGV_ACCERR);
	ck_assert_uint_eq(peek(FIX), 0x33);
	ck_assert_int_eq(mm_mprotect(mm, FIX, 4 * PG, RW), 0);
	sim_reset_counters();
	ck_assert_int_eq(sim_user_write8(mm, FIX, 1), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_SPURIOUS) +
			  vmstat_get(VMSTAT_FAULT_DEMAND_ZERO), 0);
}
END_TEST

START_TEST(mprotect_middle_splits_and_merges)
{
	uint64_t r3[] = { FIX, FIX + PG, FIX + PG, FIX + 3 * PG, FIX + 3 * PG, FIX + 4 * PG };
	uint64_t r1[] = { FIX, FIX + 4 * PG };

	mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED);
	ck_assert_int_eq(mm_mprotect(mm, FIX + PG, 2 * PG, MM_PROT_READ), 0);
	expect_vmas(r3, 3);
	ck_assert_uint_eq(vma_find(&mm->vmas, FIX + PG)->prot, MM_PROT_READ);
	ck_assert_int_eq(mm_mprotect(mm, FIX + PG, 2 * PG, RW), 0);
	expect_vmas(r1, 1);
}
END_TEST

START_TEST(mprotect_errors)
{
	mm_mmap(mm, FIX, 2 * PG, RW, ANON | MM_MAP_FIXED);
	mm_mmap(mm, FIX + 3 * PG, PG, RW, ANON | MM_MAP_FIXED);
	ck_assert_int_eq(mm_mprotect(mm, FIX + 1, PG, MM_PROT_READ), -MM_EINVAL);
	ck_assert_int_eq(mm_mprotect(mm, FIX, PG, 0x10), -MM_EINVAL);
	/* over a hole: as Linux, the stretch before it changes, not after */
	ck_assert_int_eq(mm_mprotect(mm, FIX, 4 * PG, MM_PROT_READ), -MM_ENOMEM);
	ck_assert_uint_eq(vma_find(&mm->vmas, FIX)->prot, MM_PROT_READ);
	ck_assert_uint_eq(vma_find(&mm->vmas, FIX + 3 * PG)->prot, RW);
	/* starting in the hole: nothing changes */
	ck_assert_int_eq(mm_mprotect(mm, FIX + 2 * PG, 2 * PG, MM_PROT_NONE),
			 -MM_ENOMEM);
	ck_assert_uint_eq(vma_find(&mm->vmas, FIX + 3 * PG)->prot, RW);
	ck_assert_int_eq(mm_mprotect(mm, FIX + 8 * PG, PG, MM_PROT_READ), -MM_ENOMEM);
	ck_assert_int_eq(mm_mprotect(mm, FIX, 0, MM_PROT_READ), 0);
	ck_assert_int_eq(mm->vmas.count, 2);
}
END_TEST

START_TEST(mprotect_none_keeps_frame)
{
	uint64_t pte, pa, free1;

	mm_mmap(mm, FIX, PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 1, 0x44);
	pa = PTE_ADDR(sim_pte(mm->root, FIX));
	free1 = frame_count_free();
	ck_assert_int_eq(mm_mprotect(mm, FIX, PG, MM_PROT_NONE), 0);
	pte = sim_pte(mm->root, FIX);
	ck_assert_msg(!(pte & PTE_P) && (pte & PTE_SW_PROTNONE) && PTE_ADDR(pte) == pa,
		      "PROT_NONE PTE %lx", pte);
	ck_assert_uint_eq(frame_count_free(), free1);
	consistent();
	ck_assert_int_eq(sim_user_read8(mm, FIX, &(uint8_t){ 0 }), MM_FAULT_SEGV_ACCERR);
	ck_assert_int_eq(mm_mprotect(mm, FIX, PG, MM_PROT_READ), 0);
	ck_assert_uint_eq(peek(FIX), 0x44);
	ck_assert_int_eq(mm_munmap(mm, FIX, PG), 0);
	/* the frame, 3 tables, the VMA slab page (no VMA left) and the
	 * rmap slab page (no rmap item left) */
	ck_assert_uint_eq(frame_count_free(), free1 + 1 + 3 + 1 + 1);
}
END_TEST

START_TEST(mprotect_keeps_zero_page_readonly)
{
	mm_mmap(mm, FIX, PG, MM_PROT_READ, ANON | MM_MAP_FIXED);
	ck_assert_uint_eq(peek(FIX), 0);
	ck_assert_int_eq(mm_mprotect(mm, FIX, PG, RW), 0);
	ck_assert_msg(!(sim_pte(mm->root, FIX) & PTE_RW), "zero page made writable");
	consistent();
	ck_assert_int_eq(sim_user_write8(mm, FIX, 5), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_WRITE_AFTER_ZERO), 1);
}
END_TEST

START_TEST(brk_semantics)
{
	uint64_t base = 0x00600000, r;

	mm_set_brk_base(mm, base - 100);
	ck_assert_uint_eq(mm_brk(mm, 0), base);
	ck_assert_uint_eq(mm_brk(mm, base - 1), base);
	r = mm_brk(mm, base + 10000);
	ck_assert_uint_eq(r, base + 10000);
	ck_assert_msg(vma_find(&mm->vmas, base)->flags & VMA_HEAP, "no [heap] VMA");
	ck_assert_uint_eq(vma_find(&mm->vmas, base)->end, base + 3 * PG);
	ck_assert_int_eq(sim_user_write8(mm, base + 9999, 7), -1);
	ck_assert_int_eq(sim_user_write8(mm, base + 3 * PG, 7), MM_FAULT_SEGV_MAPERR);
	ck_assert_uint_eq(mm_brk(mm, base + 20000), base + 20000);   /* grows */
	ck_assert_uint_eq(mm->vmas.count, 1);
	ck_assert_uint_eq(peek(base + 9999), 7);                    /* kept */
}
END_TEST

START_TEST(brk_shrink_frees)
{
	uint64_t base = 0x00600000, free1;

	mm_set_brk_base(mm, base);
	mm_brk(mm, base + 4 * PG);
	fill(base, 4, 9);
	free1 = frame_count_free();
	ck_assert_uint_eq(mm_brk(mm, base + PG + 1), base + PG + 1);
	ck_assert_uint_eq(frame_count_free(), free1 + 2);
	ck_assert_uint_eq(mm_brk(mm, base + 4 * PG), base + 4 * PG);
	ck_assert_uint_eq(peek(base + 3 * PG), 0);
	ck_assert_uint_eq(peek(base + PG), 9);
	ck_assert_uint_eq(mm_brk(mm, base), base);
	ck_assert_uint_eq(mm->vmas.count, 0);
	consistent();
}
END_TEST

START_TEST(brk_blocked_by_mapping)
{
	uint64_t base = 0x00600000;

	mm_set_brk_base(mm, base);
	mm_mmap(mm, base + 4 * PG, PG, RW, ANON | MM_MAP_FIXED);
	/* Linux keeps one page between the break and the next mapping */
	ck_assert_uint_eq(mm_brk(mm, base + 3 * PG), base + 3 * PG);
	ck_assert_uint_eq(mm_brk(mm, base + 3 * PG + 1), base + 3 * PG);
}
END_TEST

START_TEST(madvise_dontneed_zeroes)
{
	uint64_t free1;

	mm_mmap(mm, FIX, 4 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 4, 0x55);
	free1 = frame_count_free();
	ck_assert_int_eq(mm_madvise(mm, FIX + PG, 2 * PG, MM_MADV_DONTNEED), 0);
	ck_assert_uint_eq(frame_count_free(), free1 + 2);
	ck_assert_uint_eq(mm->rss, 2);
	ck_assert_uint_eq(peek(FIX + PG), 0);
	ck_assert_uint_eq(peek(FIX), 0x55);
	ck_assert_uint_eq(mm->vmas.count, 1);
	consistent();
}
END_TEST

START_TEST(madvise_errors)
{
	mm_mmap(mm, FIX, 2 * PG, RW, ANON | MM_MAP_FIXED);
	fill(FIX, 2, 1);
	ck_assert_int_eq(mm_madvise(mm, FIX + 1, PG, MM_MADV_DONTNEED), -MM_EINVAL);
	ck_assert_int_eq(mm_madvise(mm, FIX, PG, 99), -MM_EINVAL);
	ck_assert_int_eq(mm_madvise(mm, FIX, PG, MM_MADV_WILLNEED), 0);
	ck_assert_int_eq(mm_madvise(mm, FIX, 4 * PG, MM_MADV_DONTNEED), -MM_ENOMEM);
	ck_assert_uint_eq(mm->rss, 0);        /* mapped part dropped anyway */
	ck_assert_int_eq(mm_madvise(mm, FIX, 0, MM_MADV_DONTNEED), 0);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "mmap_topdown_rounds_and_merges", mmap_topdown_rounds_and_merges, 0 },
		{ "mmap_errors", mmap_errors, 0 },
		{ "mmap_ignores_unknown_bits_like_linux", mmap_ignores_unknown_bits_like_linux, 0 },
		{ "mmap_fixed_noreplace", mmap_fixed_noreplace, 0 },
		{ "mmap_fixed_replaces", mmap_fixed_replaces, 0 },
		{ "mmap_hint_used_when_free", mmap_hint_used_when_free, 0 },
		{ "mmap_populate", mmap_populate, 0 },
		{ "munmap_middle_splits", munmap_middle_splits, 0 },
		{ "munmap_ends_spans_and_holes", munmap_ends_spans_and_holes, 0 },
		{ "munmap_errors", munmap_errors, 0 },
		{ "munmap_everything_frees_all", munmap_everything_frees_all, 0 },
		{ "mprotect_readonly_then_write_kills", mprotect_readonly_then_write_kills, 0 },
		{ "mprotect_middle_splits_and_merges", mprotect_middle_splits_and_merges, 0 },
		{ "mprotect_errors", mprotect_errors, 0 },
		{ "mprotect_none_keeps_frame", mprotect_none_keeps_frame, 0 },
		{ "mprotect_keeps_zero_page_readonly", mprotect_keeps_zero_page_readonly, 0 },
		{ "brk_semantics", brk_semantics, 0 },
		{ "brk_shrink_frees", brk_shrink_frees, 0 },
		{ "brk_blocked_by_mapping", brk_blocked_by_mapping, 0 },
		{ "madvise_dontneed_zeroes", madvise_dontneed_zeroes, 0 },
		{ "madvise_errors", madvise_errors, 0 },
	};

	return unit_run("mm_mmap", cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
