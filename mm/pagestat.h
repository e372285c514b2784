/*
 * pagestat.h: what Linux's /proc/PID/pagemap, smaps and status say of an
 * address space, read from its page tables and frame descriptors (never
 * changing them).
 *
 * A page counts as resident when its PTE holds a frame (present, or
 * PROT_NONE-held); the shared zero page never counts, as on Linux (it is
 * no "normal" page there).  Anonymous: a private anonymous frame (COW
 * ones included); shmem: a frame of a MAP_SHARED anonymous mapping;
 * file: a page-cache frame.  Shared: mapped by two PTEs or more.  Dirty
 * and referenced: the PTE's D and A bits.
 */
#ifndef MM_PAGESTAT_H
#define MM_PAGESTAT_H

#include <stdint.h>
#include "mm.h"

/* Bytes, except pss (bytes << MM_PSS_SHIFT, Linux's fixed point). */
struct mm_page_stats {
	uint64_t size;          /* of the VMAs counted */
	uint64_t rss, rss_anon, rss_file, rss_shmem;
	uint64_t pss;
	uint64_t shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous;
};

#define MM_PSS_SHIFT 12

/* Add what [start, end) of mm holds to *s (start, end page aligned). */
void mm_page_stats(struct mm *mm, uint64_t start, uint64_t end,
		   struct mm_page_stats *s);

/* Linux's /proc/PID/pagemap entry of the page at va: bit 63 present,
 * 61 file page or shared anonymous, 56 mapped exclusively, 55
 * soft-dirty (set in every VMA: no clear_refs here, so Linux's
 * VM_SOFTDIRTY of a new VMA stands), bits 0-54 the PFN. */
uint64_t mm_pagemap_entry(struct mm *mm, uint64_t va);

#define PM_PRESENT        (1ULL << 63)
#define PM_FILE           (1ULL << 61)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_SOFT_DIRTY     (1ULL << 55)
#define PM_PFN_MASK       ((1ULL << 55) - 1)

#endif /* MM_PAGESTAT_H */
