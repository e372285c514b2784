/*
 * test_mm_region.c: region copy (mm/region.c, the seed's "dput COPY")
 * for every alignment case: both ends aligned, neither, start and end in
 * one page, in adjacent pages, length zero, existing destination
 * mappings over the range, a source range over several VMAs with
 * different protections and kinds, different page offsets, and the
 * error cases.  Checked: every destination byte (copied, or kept as it
 * was, also inside the partial pages), VMA boundaries on both sides,
 * frame sharing, refcounts, the reverse mapping, and no frame leaked.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/mmap.h"
#include "mm/region.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_region"
#define PG    4096ULL
#define RO    MM_PROT_READ
#define RW    (MM_PROT_READ | MM_PROT_WRITE)
#define PRIV  (MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define SHRD  (MM_MAP_SHARED | MM_MAP_ANONYMOUS | MM_MAP_FIXED)
#define SRC   0x0000000010000000ULL
#define DST   0x0000000030000000ULL
#define NPG   8
#define M     (PTE_P | PTE_RW | PTE_SW_COW | PTE_SW_ZERO | PTE_SW_SHARED)

static struct mm *src, *dst;
static uint64_t free0;
static char why[256];

static uint8_t sbyte(uint64_t va)
{
	return (uint8_t)(0x80 | (va * 31 + (va >> 12)));
}

static uint8_t dbyte(uint64_t va)
{
	return (uint8_t)(0x01 + ((va * 17 + (va >> 12)) & 0x3f));
}

/* Fault every page of [va, va + n pages) in for writing and fill it
 * with fn's bytes. */
static void fill(struct mm *mm, uint64_t va, int n, uint8_t (*fn)(uint64_t))
{
	for (uint64_t a = va; a < va + n * PG; a += PG) {
		uint64_t pa;

		if (sim_cr3 != mm->root) {      /* a CR3 load */
			sim_cr3 = mm->root;
			sim_tlb_reset();
		}
		ck_assert_int_eq(sim_user_access(mm, a, SIM_WRITE, &pa), -1);
		pa &= ~(PG - 1);
		for (uint64_t i = 0; i < PG; i++)
			sim_mem[pa + i] = fn(a + i);
	}
}

static uint8_t peek(struct mm *mm, uint64_t va)
{
	uint8_t b = 0xee;
	int r;

	sim_cr3 = mm->root;
	sim_tlb_reset();
	r = sim_user_read8(mm, va, &b);
	ck_assert_msg(r == -1, "read of %lx: %s", (unsigned long)va,
		      mm_fault_outcome_name(r));
	return b;
}

/* dst bytes in [lo, hi): copied from src where inside [d, d + len),
 * else dbyte (old content) or 0 (a page the copy created). */
static void verify(uint64_t s, uint64_t len, uint64_t d, uint64_t lo,
		   uint64_t hi, bool old_dst)
{
	for (uint64_t a = lo; a < hi; a++) {
		uint8_t want = a >= d && a < d + len ? sbyte(s + (a - d)) :
			       old_dst ? dbyte(a) : 0;
		uint8_t got = peek(dst, a);

		ck_assert_msg(got == want, "dst %lx: %x, want %x",
			      (unsigned long)a, got, want);
	}
}

/* mm's VMAs are exactly the listed [start, end) pairs, 0-terminated. */
static void expect_vmas(struct mm *mm, const uint64_t *b)
{
	struct vma *v = mm->vmas.head;

	for (; b[0]; b += 2, v = v->next) {
		ck_assert_msg(v && v->start == b[0] && v->end == b[1],
			      "pid %d: VMA %lx-%lx, want %lx-%lx", mm->pid,
			      v ? (unsigned long)v->start : 0UL,
			      v ? (unsigned long)v->end : 0UL,
			      (unsigned long)b[0], (unsigned long)b[1]);
	}
	ck_assert_msg(!v, "pid %d: extra VMA %lx-%lx", mm->pid,
		      (unsigned long)(v ? v->start : 0), (unsigned long)(v ? v->end : 0));
}

static uint64_t pte_of(struct mm *mm, uint64_t va)
{
	return sim_pte(mm->root, va);
}

/* Page va of dst shares src's frame at sva, COW on both sides. */
static void expect_shared_cow(uint64_t sva, uint64_t dva, uint32_t ref)
{
	uint64_t s = pte_of(src, sva), d = pte_of(dst, dva);
	struct frame *f = frame_of(PTE_ADDR(s));

	ck_assert_msg(PTE_ADDR(s) == PTE_ADDR(d) && (s & M) == (PTE_P | PTE_SW_COW) &&
		      (d & M) == (PTE_P | PTE_SW_COW),
		      "src %lx PTE %lx, dst %lx PTE %lx", (unsigned long)sva,
		      (unsigned long)s, (unsigned long)dva, (unsigned long)d);
	ck_assert_uint_eq(f->refcount, ref);
	ck_assert_uint_eq(f->mapcount, ref);
}

static void consistent(void)
{
	ck_assert_msg(sim_check_tables(src->root, why, sizeof(why), NULL), "%s", why);
	ck_assert_msg(sim_check_tables(dst->root, why, sizeof(why), NULL), "%s", why);
	ck_assert_msg(mm_rmap_check(why, sizeof(why)), "%s", why);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	free0 = frame_count_free();
	src = mm_create();
	dst = mm_create();
	mm_set_owner(src, 1, "src");
	mm_set_owner(dst, 2, "dst");
	ck_assert_int_eq(mm_mmap(src, SRC, NPG * PG, RW, PRIV), (int64_t)SRC);
	ck_assert_int_eq(mm_mmap(dst, DST, NPG * PG, RW, PRIV), (int64_t)DST);
	fill(src, SRC, NPG, sbyte);
	fill(dst, DST, NPG, dbyte);
	sim_reset_counters();
}

/* Both address spaces gone: every frame is back. */
static void teardown(void)
{
	SIM_CHECK_RMAP();
	if (sim_mem && src && dst) {
		sim_cr3 = sim_kernel_root;
		mm_destroy(src);
		mm_destroy(dst);
		ck_assert_msg(mm_rmap_check(why, sizeof(why)), "%s", why);
		ck_assert_uint_eq(frame_count_free(), free0);
	}
	sim_fini();
}

START_TEST(both_ends_aligned)
{
	uint64_t s = SRC + PG, d = DST + 2 * PG, len = 3 * PG;
	uint64_t old = PTE_ADDR(pte_of(dst, d)), anon = frame_count_state(FRAME_ANON);

	/* src loaded, its TLB holding writable translations of the range */
	fill(src, s, 3, sbyte);
	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
	for (int i = 0; i < 3; i++)
		expect_shared_cow(s + i * PG, d + i * PG, 2);
	ck_assert_uint_eq(frame_of(old)->state, FRAME_FREE);
	ck_assert_uint_eq(frame_count_state(FRAME_ANON), anon - 3);
	expect_vmas(src, (uint64_t[]){ SRC, SRC + PG, SRC + PG, SRC + 4 * PG,
				       SRC + 4 * PG, SRC + 8 * PG, 0 });
	expect_vmas(dst, (uint64_t[]){ DST, DST + 2 * PG, DST + 2 * PG, DST + 5 * PG,
				       DST + 5 * PG, DST + 8 * PG, 0 });
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_PTES), 3);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_BYTES), 0);
	ck_assert_uint_eq(sim_copy_calls, 0);
	verify(s, len, d, DST, DST + NPG * PG, true);
	consistent();
	/* the first write in dst breaks the share; src keeps its bytes */
	sim_cr3 = dst->root;
	sim_tlb_reset();
	ck_assert_int_eq(sim_user_write8(dst, d + 5, 0), -1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_eq(peek(src, s + 5), sbyte(s + 5));
	consistent();
}
END_TEST

START_TEST(neither_end_aligned)
{
	uint64_t s = SRC + PG + 100, d = DST + 2 * PG + 100, len = 3 * PG;

	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	expect_shared_cow(SRC + 2 * PG, DST + 3 * PG, 2);
	expect_shared_cow(SRC + 3 * PG, DST + 4 * PG, 2);
	/* the partial pages are dst's own frames, written in place */
	ck_assert_uint_eq(frame_of(PTE_ADDR(pte_of(dst, DST + 2 * PG)))->refcount, 1);
	ck_assert_uint_eq(frame_of(PTE_ADDR(pte_of(dst, DST + 5 * PG)))->refcount, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_BYTES), PG - 100 + 100);
	expect_vmas(src, (uint64_t[]){ SRC, SRC + PG, SRC + PG, SRC + 2 * PG,
				       SRC + 2 * PG, SRC + 4 * PG, SRC + 4 * PG,
				       SRC + 5 * PG, SRC + 5 * PG, SRC + 8 * PG, 0 });
	expect_vmas(dst, (uint64_t[]){ DST, DST + 2 * PG, DST + 2 * PG, DST + 3 * PG,
				       DST + 3 * PG, DST + 5 * PG, DST + 5 * PG,
				       DST + 6 * PG, DST + 6 * PG, DST + 8 * PG, 0 });
	verify(s, len, d, DST, DST + NPG * PG, true);
	consistent();
}
END_TEST

START_TEST(same_page)
{
	uint64_t s = SRC + PG + 10, d = DST + 3 * PG + 10, len = 100;
	uint64_t spa = PTE_ADDR(pte_of(src, SRC + PG));

	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	ck_assert_uint_eq(frame_of(spa)->refcount, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_BYTES), 100);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_PTES), 0);
	expect_vmas(src, (uint64_t[]){ SRC, SRC + PG, SRC + PG, SRC + 2 * PG,
				       SRC + 2 * PG, SRC + 8 * PG, 0 });
	expect_vmas(dst, (uint64_t[]){ DST, DST + 3 * PG, DST + 3 * PG, DST + 4 * PG,
				       DST + 4 * PG, DST + 8 * PG, 0 });
	verify(s, len, d, DST + 2 * PG, DST + 5 * PG, true);
	consistent();
}
END_TEST

START_TEST(adjacent_pages)
{
	uint64_t s = SRC + PG + 4000, d = DST + PG + 4000, len = 200;

	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_PTES), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_BYTES), 200);
	expect_vmas(dst, (uint64_t[]){ DST, DST + PG, DST + PG, DST + 2 * PG,
				       DST + 2 * PG, DST + 3 * PG,
				       DST + 3 * PG, DST + 8 * PG, 0 });
	verify(s, len, d, DST, DST + 4 * PG, true);
	consistent();
}
END_TEST

START_TEST(length_zero)
{
	ck_assert_int_eq(mm_region_copy(src, SRC + 5, 0, dst, DST + 7), 0);
	ck_assert_uint_eq(src->vmas.count, 1);
	ck_assert_uint_eq(dst->vmas.count, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY), 0);
	verify(SRC, 0, DST, DST, DST + 2 * PG, true);
}
END_TEST

/* Whatever dst mapped over the whole pages is unmapped first: a shared
 * anonymous page, a read-only page, a hole. */
START_TEST(overlapping_existing_mappings)
{
	uint64_t s = SRC + 100, d = DST + 100, len = 6 * PG;
	uint64_t shpa, free1;

	ck_assert_int_eq(mm_munmap(dst, DST + 2 * PG, PG), 0);          /* hole */
	ck_assert_int_eq(mm_mmap(dst, DST + 3 * PG, PG, RW, SHRD), (int64_t)(DST + 3 * PG));
	fill(dst, DST + 3 * PG, 1, dbyte);
	shpa = PTE_ADDR(pte_of(dst, DST + 3 * PG));
	ck_assert_int_eq(mm_mprotect(dst, DST + 4 * PG, PG, RO), 0);
	free1 = frame_count_free();
	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	ck_assert_uint_eq(frame_of(shpa)->state, FRAME_FREE);
	for (int i = 1; i < 6; i++)
		expect_shared_cow(SRC + i * PG, DST + i * PG, 2);
	/* 4 old dst frames (1 shared) freed, no new ones */
	ck_assert_uint_ge(frame_count_free(), free1 + 4);
	expect_vmas(dst, (uint64_t[]){ DST, DST + PG, DST + PG, DST + 6 * PG,
				       DST + 6 * PG, DST + 7 * PG,
				       DST + 7 * PG, DST + 8 * PG, 0 });
	for (struct vma *v = dst->vmas.head; v; v = v->next)
		ck_assert_msg(v->prot == RW && v->flags == 0, "VMA %lx prot %u flags %u",
			      (unsigned long)v->start, v->prot, v->flags);
	verify(s, len, d, DST, DST + NPG * PG, true);
	consistent();
}
END_TEST

/* The source range spans three VMAs: private RW, private read-only,
 * shared RW.  dst gets three VMAs with the same protection and kind; the
 * shared one stays truly shared. */
START_TEST(several_source_vmas)
{
	uint64_t s = SRC + 2 * PG, d = DST + 2 * PG, len = 6 * PG;
	struct vma *v;

	ck_assert_int_eq(mm_mprotect(src, SRC + 4 * PG, 2 * PG, RO), 0);
	ck_assert_int_eq(mm_mmap(src, SRC + 6 * PG, 2 * PG, RW, SHRD),
			 (int64_t)(SRC + 6 * PG));
	fill(src, SRC + 6 * PG, 2, sbyte);
	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	v = vma_find(&dst->vmas, d);
	ck_assert(v->start == d && v->end == d + 2 * PG && v->prot == RW && !v->flags);
	v = v->next;
	ck_assert(v->start == d + 2 * PG && v->end == d + 4 * PG && v->prot == RO &&
		  !v->flags);
	v = v->next;
	ck_assert(v->start == d + 4 * PG && v->end == d + 6 * PG && v->prot == RW &&
		  v->flags == VMA_SHARED);
	ck_assert_ptr_null(v->next);
	for (int i = 0; i < 4; i++)
		expect_shared_cow(s + i * PG, d + i * PG, 2);
	ck_assert_uint_eq(pte_of(dst, d + 4 * PG) & M, PTE_P | PTE_RW | PTE_SW_SHARED);
	verify(s, len, d, DST, DST + NPG * PG, true);
	sim_cr3 = dst->root;
	sim_tlb_reset();
	ck_assert_int_eq(sim_user_write8(dst, d + 5 * PG + 1, 0x42), -1);
	ck_assert_uint_eq(peek(src, s + 5 * PG + 1), 0x42);
	ck_assert_int_eq(sim_user_write8(dst, d + 2 * PG, 1), MM_FAULT_SEGV_ACCERR);
	consistent();
}
END_TEST

/* dst maps nothing there: the partial pages get private anonymous VMAs
 * with the source's protection, zero around the copied bytes. */
START_TEST(unmapped_destination)
{
	uint64_t s = SRC + PG + 100, d = DST + 0x100000 + 100, len = 3 * PG;
	uint64_t d0 = DST + 0x100000;

	ck_assert_int_eq(mm_mprotect(src, SRC + PG, PG, RO), 0);
	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	expect_vmas(dst, (uint64_t[]){ DST, DST + 8 * PG, d0, d0 + PG,
				       d0 + PG, d0 + 3 * PG, d0 + 3 * PG, d0 + 4 * PG, 0 });
	ck_assert_uint_eq(vma_find(&dst->vmas, d0)->prot, RO);
	ck_assert_uint_eq(vma_find(&dst->vmas, d0 + 3 * PG)->prot, RW);
	verify(s, len, d, d0, d0 + 4 * PG, false);
	consistent();
}
END_TEST

/* Different offsets in the page: nothing can be shared; every byte is
 * copied and dst's whole pages are fresh frames. */
START_TEST(different_offsets)
{
	uint64_t s = SRC + 100, d = DST + 300, len = 3 * PG;

	ck_assert_int_eq(mm_region_copy(src, s, len, dst, d), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_PTES), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY_BYTES), len);
	for (int i = 0; i < NPG; i++)
		ck_assert_uint_eq(frame_of(PTE_ADDR(pte_of(src, SRC + i * PG)))->refcount, 1);
	expect_vmas(dst, (uint64_t[]){ DST, DST + PG, DST + PG, DST + 3 * PG,
				       DST + 3 * PG, DST + 4 * PG,
				       DST + 4 * PG, DST + 8 * PG, 0 });
	verify(s, len, d, DST, DST + 5 * PG, true);
	consistent();
}
END_TEST

START_TEST(errors_change_nothing)
{
	ck_assert_int_eq(mm_region_copy(src, SRC, PG, src, SRC + PG), -MM_EINVAL);
	ck_assert_int_eq(mm_region_copy(src, USER_END - 10, 100, dst, DST), -MM_EINVAL);
	/* a hole in the source */
	ck_assert_int_eq(mm_region_copy(src, SRC + 7 * PG, 2 * PG, dst, DST), -MM_EFAULT);
	/* a read-only partial destination page */
	ck_assert_int_eq(mm_mprotect(dst, DST, PG, RO), 0);
	ck_assert_int_eq(mm_region_copy(src, SRC + 10, 3 * PG, dst, DST + 10),
			 -MM_EFAULT);
	/* a PROT_NONE source byte copied byte-wise */
	ck_assert_int_eq(mm_mprotect(src, SRC + 4 * PG, PG, MM_PROT_NONE), 0);
	ck_assert_int_eq(mm_region_copy(src, SRC + 4 * PG + 10, 10, dst, DST + 3 * PG),
			 -MM_EFAULT);
	ck_assert_uint_eq(src->vmas.count, 3);
	ck_assert_uint_eq(dst->vmas.count, 2);
	ck_assert_uint_eq(vmstat_get(VMSTAT_REGION_COPY), 0);
	/* ... but a PROT_NONE page in the shared middle is copied as fork does */
	ck_assert_int_eq(mm_region_copy(src, SRC + 3 * PG, 3 * PG, dst, DST + 3 * PG), 0);
	ck_assert_uint_eq(vma_find(&dst->vmas, DST + 4 * PG)->prot, 0);
	ck_assert(pte_of(dst, DST + 4 * PG) & PTE_SW_PROTNONE);
	consistent();
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "both_ends_aligned", both_ends_aligned, 0 },
		{ "neither_end_aligned", neither_end_aligned, 0 },
		{ "same_page", same_page, 0 },
		{ "adjacent_pages", adjacent_pages, 0 },
		{ "length_zero", length_zero, 0 },
		{ "overlapping_existing_mappings", overlapping_existing_mappings, 0 },
		{ "several_source_vmas", several_source_vmas, 0 },
		{ "unmapped_destination", unmapped_destination, 0 },
		{ "different_offsets", different_offsets, 0 },
		{ "errors_change_nothing", errors_change_nothing, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
