/*
 * test_mm_file.c: the page cache (mm/pagecache.c) and file-backed
 * mappings (mm_mmap_file, fault_file, fault_file_copy, fault_cow on a
 * cache frame) on the simulated machine: which frame a fault maps, PTE
 * flags, refcounts and mapcounts of cache frames and files, bytes seen
 * through the software MMU, SIGBUS past EOF, sharing and privacy across
 * address spaces and fork, and that cache frames are never freed.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm_sim.h"
#include "unit_main.h"
#include "mm/errno.h"
#include "mm/maps.h"
#include "mm/mmap.h"
#include "mm/pagecache.h"
#include "mm/vmstat.h"

#define SUITE_NAME "mm_file"
#define PG    4096ULL
#define RO    MM_PROT_READ
#define RW    (MM_PROT_READ | MM_PROT_WRITE)
#define PRIV  (MM_MAP_PRIVATE | MM_MAP_FIXED)
#define SHRD  (MM_MAP_SHARED | MM_MAP_FIXED)
#define F_PA  0x10000ULL                 /* "hello": 3 pages, last partial */
#define F_SZ  (2 * PG + 100)
#define F_SEED 0x31
#define G_PA  0x20000ULL                 /* "data": 1 page exactly */
#define AT    0x0000000010000000ULL
#define AT2   0x0000000010100000ULL
#define M     (PTE_P | PTE_RW | PTE_SW_COW | PTE_SW_ZERO | PTE_SW_SHARED)

static struct mm *mm;
static struct mm_file *file;
static uint64_t free0;
static char why[256];

static void setup(void)
{
	sim_boot(SIM_MEM_DEFAULT, FRAME_CLEAR_FAULT);
	file = sim_file("hello", F_PA, F_SZ, F_SEED);
	ck_assert_ptr_nonnull(file);
	mm = mm_create();
	mm_set_owner(mm, 1, "one");
	free0 = frame_count_free();     /* with mm's root and slab page */
	sim_cr3 = mm->root;
	sim_reset_counters();
}

static void teardown(void)
{
	SIM_CHECK_RMAP();
	sim_fini();
}

static uint8_t rd(struct mm *m, uint64_t va)
{
	uint8_t b = 0xee;
	int r = sim_user_read8(m, va, &b);

	ck_assert_msg(r == -1, "read of %lx failed: %s", (unsigned long)va,
		      mm_fault_outcome_name(r));
	return b;
}

static void wr(struct mm *m, uint64_t va, uint8_t b)
{
	int r = sim_user_write8(m, va, b);

	ck_assert_msg(r == -1, "write of %lx failed: %s", (unsigned long)va,
		      mm_fault_outcome_name(r));
}

static uint64_t cache_pa(uint64_t index)
{
	return F_PA + index * PG;
}

static void expect_frame(uint64_t pa, uint32_t ref, uint32_t map)
{
	struct frame *f = frame_of(pa);

	ck_assert_msg(f->refcount == ref && f->mapcount == map &&
		      mm_rmap_count(pa) == map,
		      "frame %lx ref %u map %u rmap %u, want %u %u",
		      (unsigned long)pa, f->refcount, f->mapcount,
		      mm_rmap_count(pa), ref, map);
}

static void map(struct mm *m, uint64_t at, uint64_t len, int prot, int flags,
		uint64_t off)
{
	ck_assert_int_eq(mm_mmap_file(m, at, len, prot, flags, file, off),
			 (int64_t)at);
}

static void tables_ok(struct mm *m)
{
	ck_assert_msg(sim_check_tables(m->root, why, sizeof(why), NULL), "%s", why);
	ck_assert_msg(sim_tlb_coherent(why, sizeof(why)), "%s", why);
}

START_TEST(open_adopts_frames)
{
	uint64_t reserved = frame_count_state(FRAME_RESERVED);

	ck_assert_uint_eq(frame_count_state(FRAME_FILE), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(frame_of(cache_pa(i))->state, FRAME_FILE);
		expect_frame(cache_pa(i), 1, 0);
	}
	ck_assert_uint_eq(file->refcount, 2);
	ck_assert_uint_eq(file->npages, 3);
	ck_assert_str_eq(mm_file_name(file), "hello");
	ck_assert_uint_eq(mm_file_size(file), F_SZ);
	/* again, same place: the same object, one more reference */
	ck_assert_ptr_eq(mm_file_open_image("hello", F_PA, F_SZ), file);
	ck_assert_uint_eq(file->refcount, 3);
	ck_assert_ptr_eq(mm_file_lookup("hello"), file);
	ck_assert_uint_eq(file->refcount, 4);
	ck_assert_ptr_null(mm_file_lookup("nope"));
	mm_file_put(file);
	mm_file_put(file);
	ck_assert_uint_eq(file->refcount, 2);
	/* same name elsewhere: refused */
	ck_assert_ptr_null(mm_file_open_image("hello", G_PA, PG));
	ck_assert_uint_eq(frame_count_state(FRAME_RESERVED), reserved);
	/* an empty file has no pages */
	ck_assert_ptr_nonnull(mm_file_open_image("empty", G_PA, 0));
	ck_assert_uint_eq(frame_count_state(FRAME_FILE), 3);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

START_TEST(open_refuses_bad_images)
{
	char longname[80];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_ptr_null(mm_file_open_image("odd", G_PA + 8, 100));
	ck_assert_ptr_null(mm_file_open_image("", G_PA, 100));
	ck_assert_ptr_null(mm_file_open_image(longname, G_PA, 100));
	/* frames the allocator owns are not boot image */
	ck_assert_ptr_null(mm_file_open_image("free", 0x400000, 100));
	ck_assert_ptr_null(mm_file_open_image("huge", G_PA, SIM_MEM_DEFAULT));
	/* the VMM must zero-pad: junk after EOF in the last page is refused */
	memset(sim_mem + G_PA, 0x77, PG);
	ck_assert_ptr_null(mm_file_open_image("junk", G_PA, 100));
	ck_assert_uint_eq(frame_of(G_PA)->state, FRAME_RESERVED);
	memset(sim_mem + G_PA + 100, 0, PG - 100);
	ck_assert_ptr_nonnull(mm_file_open_image("junk", G_PA, 100));
	ck_assert_uint_eq(frame_of(G_PA)->state, FRAME_FILE);
	/* overlapping an adopted file: not reserved any more */
	ck_assert_ptr_null(mm_file_open_image("overlap", F_PA + PG, 100));
}
END_TEST

START_TEST(pagecache_get_put)
{
	uint64_t pa = mm_pagecache_get(file, 2);

	ck_assert_uint_eq(pa, cache_pa(2));
	expect_frame(pa, 2, 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PAGECACHE_HIT), 1);
	ck_assert_uint_eq(mm_pagecache_get(file, 3), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PAGECACHE_HIT), 1);
	mm_pagecache_put(pa);
	expect_frame(pa, 1, 0);
	ck_assert_uint_eq(frame_count_free(), free0);
}
END_TEST

/* The cache's own reference is never dropped: losing it panics instead
 * of handing boot-image memory to the allocator. */
START_TEST(cache_frame_never_freed)
{
	frame_put(cache_pa(0));
}
END_TEST

START_TEST(file_read)
{
	uint8_t buf[3 * PG];
	int64_t n;

	n = mm_file_read(file, 10, buf, 5);
	ck_assert_int_eq(n, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_uint_eq(buf[i], sim_file_byte(F_SEED, 10 + i));
	n = mm_file_read(file, PG - 2, buf, sizeof(buf));
	ck_assert_int_eq(n, F_SZ - (PG - 2));
	for (int64_t i = 0; i < n; i++)
		ck_assert_uint_eq(buf[i], sim_file_byte(F_SEED, PG - 2 + i));
	ck_assert_int_eq(mm_file_read(file, F_SZ, buf, 1), 0);
	ck_assert_int_eq(mm_file_read(file, F_SZ + 5000, buf, 1), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PAGECACHE_HIT), 1 + 3);
}
END_TEST

START_TEST(private_read_maps_cache_frame)
{
	uint64_t pte;

	map(mm, AT, 3 * PG, RW, PRIV, 0);
	ck_assert_uint_eq(rd(mm, AT + 5), sim_file_byte(F_SEED, 5));
	ck_assert_uint_eq(rd(mm, AT + PG + 1), sim_file_byte(F_SEED, PG + 1));
	pte = sim_pte(mm->root, AT);
	ck_assert_uint_eq(PTE_ADDR(pte), cache_pa(0));
	ck_assert_uint_eq(pte & M, PTE_P | PTE_SW_COW);
	expect_frame(cache_pa(0), 2, 1);
	expect_frame(cache_pa(1), 2, 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_FILE), 2);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_FILE_SHARED), 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_PAGECACHE_HIT), 2);
	ck_assert_uint_eq(mm->rss, 2);
	tables_ok(mm);
}
END_TEST

/* Past EOF inside the last page: zeros (the image is zero-padded); past
 * the last page: SIGBUS, as Linux. */
START_TEST(eof_tail_zero_then_sigbus)
{
	uint8_t b;

	map(mm, AT, 5 * PG, RO, PRIV, 0);
	ck_assert_uint_eq(rd(mm, AT + F_SZ - 1), sim_file_byte(F_SEED, F_SZ - 1));
	for (uint64_t o = F_SZ; o < 3 * PG; o++)
		ck_assert_uint_eq(rd(mm, AT + o), 0);
	ck_assert_int_eq(sim_user_read8(mm, AT + 3 * PG, &b), MM_FAULT_SIGBUS);
	ck_assert_int_eq(sim_user_write8(mm, AT + 4 * PG, 1), MM_FAULT_SEGV_ACCERR);
	/* an offset past EOF: every page SIGBUS */
	map(mm, AT2, PG, RW, PRIV, 3 * PG);
	ck_assert_int_eq(sim_user_read8(mm, AT2, &b), MM_FAULT_SIGBUS);
	ck_assert_int_eq(sim_user_write8(mm, AT2, 1), MM_FAULT_SIGBUS);
	ck_assert_uint_eq(sim_pte(mm->root, AT2), 0);
}
END_TEST

START_TEST(offset_mapping)
{
	map(mm, AT, PG, RO, PRIV, PG);
	ck_assert_uint_eq(rd(mm, AT + 3), sim_file_byte(F_SEED, PG + 3));
	ck_assert_uint_eq(PTE_ADDR(sim_pte(mm->root, AT)), cache_pa(1));
}
END_TEST

START_TEST(private_write_copies)
{
	struct mm *other = mm_create();
	uint64_t pa;

	map(mm, AT, 3 * PG, RW, PRIV, 0);
	map(other, AT, 3 * PG, RW, PRIV, 0);
	/* read then write: COW from the cache frame (never reused) */
	ck_assert_uint_eq(rd(mm, AT), sim_file_byte(F_SEED, 0));
	wr(mm, AT, 0xab);
	pa = PTE_ADDR(sim_pte(mm->root, AT));
	ck_assert_uint_ne(pa, cache_pa(0));
	ck_assert_uint_eq(frame_of(pa)->state, FRAME_ANON);
	ck_assert_uint_eq(sim_pte(mm->root, AT) & M, PTE_P | PTE_RW);
	expect_frame(pa, 1, 1);
	expect_frame(cache_pa(0), 1, 0);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_COPY), 1);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_COW_REUSE), 0);
	ck_assert_uint_eq(rd(mm, AT + 1), sim_file_byte(F_SEED, 1));
	/* a first write: copied at once */
	wr(mm, AT + PG, 0xcd);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_FILE_COPY), 1);
	ck_assert_uint_eq(rd(mm, AT + PG + 1), sim_file_byte(F_SEED, PG + 1));
	expect_frame(cache_pa(1), 1, 0);
	/* neither the cache nor another mapper sees the writes */
	ck_assert_uint_eq(sim_mem[cache_pa(0)], sim_file_byte(F_SEED, 0));
	ck_assert_uint_eq(sim_mem[cache_pa(1)], sim_file_byte(F_SEED, PG));
	sim_cr3 = other->root;
	sim_tlb_reset();
	ck_assert_uint_eq(rd(other, AT), sim_file_byte(F_SEED, 0));
	ck_assert_uint_eq(rd(other, AT + PG), sim_file_byte(F_SEED, PG));
	tables_ok(other);
	mm_destroy(other);
	sim_cr3 = sim_kernel_root;
	mm_destroy(mm);
	mm = NULL;
	ck_assert_uint_eq(frame_count_free(), free0 + 2);   /* mm's slab, root */
	expect_frame(cache_pa(0), 1, 0);
	ck_assert_uint_eq(file->refcount, 2);
}
END_TEST

START_TEST(shared_writes_reach_cache)
{
	struct mm *other = mm_create();
	uint8_t buf[4];
	uint64_t pte;

	map(mm, AT, 3 * PG, RW, SHRD, 0);
	map(other, AT2, 2 * PG, RO, SHRD, PG);
	wr(mm, AT + PG + 2, 0x5e);
	pte = sim_pte(mm->root, AT + PG);
	ck_assert_uint_eq(PTE_ADDR(pte), cache_pa(1));
	ck_assert_uint_eq(pte & M, PTE_P | PTE_RW | PTE_SW_SHARED);
	ck_assert(pte & PTE_D);
	ck_assert_uint_eq(sim_mem[cache_pa(1) + 2], 0x5e);
	ck_assert_int_eq(mm_file_read(file, PG + 2, buf, 1), 1);
	ck_assert_uint_eq(buf[0], 0x5e);
	sim_cr3 = other->root;
	sim_tlb_reset();
	ck_assert_uint_eq(rd(other, AT2 + 2), 0x5e);
	pte = sim_pte(other->root, AT2);
	ck_assert_uint_eq(pte & M, PTE_P | PTE_SW_SHARED);
	expect_frame(cache_pa(1), 3, 2);
	ck_assert_int_eq(sim_user_write8(other, AT2, 1), MM_FAULT_SEGV_ACCERR);
	ck_assert_uint_eq(vmstat_get(VMSTAT_FAULT_FILE_SHARED), 2);
	mm_destroy(other);
	expect_frame(cache_pa(1), 2, 1);
}
END_TEST

/* mprotect(PROT_WRITE) on a private file page mapped read-only must not
 * make the cache frame writable: the write copies. */
START_TEST(mprotect_private_stays_cow)
{
	map(mm, AT, PG, RO, PRIV, 0);
	ck_assert_uint_eq(rd(mm, AT), sim_file_byte(F_SEED, 0));
	ck_assert_int_eq(mm_mprotect(mm, AT, PG, RW), 0);
	ck_assert_uint_eq(sim_pte(mm->root, AT) & M, PTE_P | PTE_SW_COW);
	wr(mm, AT, 0x99);
	ck_assert_uint_ne(PTE_ADDR(sim_pte(mm->root, AT)), cache_pa(0));
	ck_assert_uint_eq(sim_mem[cache_pa(0)], sim_file_byte(F_SEED, 0));
	expect_frame(cache_pa(0), 1, 0);
	tables_ok(mm);
}
END_TEST

START_TEST(fork_file_pages)
{
	struct mm *c;
	uint64_t copy;

	map(mm, AT, 3 * PG, RW, PRIV, 0);
	map(mm, AT2, 3 * PG, RW, SHRD, 0);
	rd(mm, AT);
	wr(mm, AT + PG, 0x11);              /* a private copy */
	copy = PTE_ADDR(sim_pte(mm->root, AT + PG));
	wr(mm, AT2 + 2 * PG, 0x22);
	ck_assert_uint_eq(file->refcount, 4);
	c = mm_fork(mm);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(file->refcount, 6);
	ck_assert_uint_eq(sim_pte(c->root, AT) & M, PTE_P | PTE_SW_COW);
	expect_frame(cache_pa(0), 3, 2);
	ck_assert_uint_eq(sim_pte(c->root, AT + PG) & M, PTE_P | PTE_SW_COW);
	ck_assert_uint_eq(sim_pte(mm->root, AT + PG) & M, PTE_P | PTE_SW_COW);
	expect_frame(copy, 2, 2);
	ck_assert_uint_eq(sim_pte(c->root, AT2 + 2 * PG) & M,
			  PTE_P | PTE_RW | PTE_SW_SHARED);
	expect_frame(cache_pa(2), 3, 2);
	/* the child's shared write is the parent's; its private one is not */
	sim_cr3 = c->root;
	sim_tlb_reset();
	wr(c, AT2 + 2 * PG + 1, 0x33);
	wr(c, AT + 7, 0x44);
	ck_assert_uint_eq(rd(c, AT + PG), 0x11);
	sim_cr3 = mm->root;
	sim_tlb_reset();
	ck_assert_uint_eq(rd(mm, AT2 + 2 * PG + 1), 0x33);
	ck_assert_uint_eq(rd(mm, AT + 7), sim_file_byte(F_SEED, 7));
	tables_ok(mm);
	tables_ok(c);
	mm_destroy(c);
	ck_assert_uint_eq(file->refcount, 4);
	expect_frame(copy, 1, 1);
	sim_cr3 = sim_kernel_root;
	mm_destroy(mm);
	mm = NULL;
	ck_assert_uint_eq(file->refcount, 2);
	for (int i = 0; i < 3; i++)
		expect_frame(cache_pa(i), 1, 0);
	ck_assert_uint_eq(frame_count_free(), free0 + 2);
}
END_TEST

START_TEST(mmap_file_errors)
{
	ck_assert_int_eq(mm_mmap_file(mm, AT, PG, RO, PRIV, file, 100), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap_file(mm, AT, 0, RO, PRIV, file, 0), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap_file(mm, AT, PG, RO, MM_MAP_FIXED, file, 0),
			 -MM_EINVAL);
	ck_assert_int_eq(mm_mmap_file(mm, AT, PG, RO, PRIV, NULL, 0), -MM_EBADF);
	ck_assert_int_eq(mm_mmap_file(mm, AT, 2 * PG, RO, PRIV, file,
				      0xfffffffffffff000ULL), -MM_EOVERFLOW);
	ck_assert_int_eq(mm_mmap_file(mm, AT + 1, PG, RO, PRIV, file, 0), -MM_EINVAL);
	ck_assert_int_eq(mm_mmap(mm, AT, PG, RO, PRIV), -MM_ENODEV);
	ck_assert_ptr_null(mm->vmas.head);
	/* MAP_ANONYMOUS: file and offset ignored */
	ck_assert_int_eq(mm_mmap_file(mm, AT, PG, RO, PRIV | MM_MAP_ANONYMOUS,
				      file, 100), (int64_t)AT);
	ck_assert_uint_eq(mm->vmas.head->flags & VMA_FILE, 0);
	ck_assert_ptr_null(mm->vmas.head->file);
	ck_assert_uint_eq(file->refcount, 2);
	/* placed (no MAP_FIXED), and past EOF is allowed */
	ck_assert_int_gt(mm_mmap_file(mm, 0, 10 * PG, RO, MM_MAP_PRIVATE, file, 0), 0);
	ck_assert_uint_eq(file->refcount, 3);
}
END_TEST

/* Each VMA holds one reference: splits, merges, fork and unmap keep the
 * count exact. */
START_TEST(vma_file_references)
{
	struct mm *c;

	map(mm, AT, 3 * PG, RW, PRIV, 0);
	ck_assert_uint_eq(file->refcount, 3);
	ck_assert_int_eq(mm_mprotect(mm, AT + PG, PG, RO), 0);
	ck_assert_uint_eq(mm->vmas.count, 3);
	ck_assert_uint_eq(file->refcount, 5);
	ck_assert_uint_eq(mm->vmas.head->next->offset, PG);
	ck_assert_int_eq(mm_mprotect(mm, AT + PG, PG, RW), 0);
	ck_assert_uint_eq(mm->vmas.count, 1);           /* merged back */
	ck_assert_uint_eq(file->refcount, 3);
	c = mm_fork(mm);
	ck_assert_uint_eq(file->refcount, 4);
	ck_assert_int_eq(mm_munmap(mm, AT + PG, PG), 0);
	ck_assert_uint_eq(file->refcount, 5);
	ck_assert_int_eq(mm_munmap(mm, AT, 3 * PG), 0);
	ck_assert_uint_eq(file->refcount, 3);
	/* MAP_FIXED over it replaces it */
	map(c, AT, PG, RO, SHRD, 0);
	ck_assert_uint_eq(file->refcount, 4);
	mm_destroy(c);
	ck_assert_uint_eq(file->refcount, 2);
}
END_TEST

START_TEST(maps_shows_name_and_offset)
{
	char buf[512];

	map(mm, AT, PG, RO | MM_PROT_EXEC, PRIV, PG);
	map(mm, AT2, PG, RW, SHRD, 0);
	mm_format_maps(mm, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "10000000-10001000 r-xp 00001000 00:00 0 ", 40) == 0 &&
		      strstr(buf, " hello\n10100000-10101000 rw-s 00000000 00:00 0 "),
		      "got '%s'", buf);
}
END_TEST

START_TEST(populate_private_file)
{
	ck_assert_int_eq(mm_mmap_file(mm, AT, 3 * PG, RO, PRIV | MM_MAP_POPULATE,
				      file, 0), (int64_t)AT);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(PTE_ADDR(sim_pte(mm->root, AT + i * PG)),
				  cache_pa(i));
	ck_assert_uint_eq(mm->rss, 3);
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "open_adopts_frames", open_adopts_frames, 0 },
		{ "open_refuses_bad_images", open_refuses_bad_images, 0 },
		{ "pagecache_get_put", pagecache_get_put, 0 },
		{ "cache_frame_never_freed", cache_frame_never_freed, SIGABRT },
		{ "file_read", file_read, 0 },
		{ "private_read_maps_cache_frame", private_read_maps_cache_frame, 0 },
		{ "eof_tail_zero_then_sigbus", eof_tail_zero_then_sigbus, 0 },
		{ "offset_mapping", offset_mapping, 0 },
		{ "private_write_copies", private_write_copies, 0 },
		{ "shared_writes_reach_cache", shared_writes_reach_cache, 0 },
		{ "mprotect_private_stays_cow", mprotect_private_stays_cow, 0 },
		{ "fork_file_pages", fork_file_pages, 0 },
		{ "mmap_file_errors", mmap_file_errors, 0 },
		{ "vma_file_references", vma_file_references, 0 },
		{ "maps_shows_name_and_offset", maps_shows_name_and_offset, 0 },
		{ "populate_private_file", populate_private_file, 0 },
	};

	return unit_run(SUITE_NAME, cases, sizeof(cases) / sizeof(cases[0]),
			setup, teardown);
}
