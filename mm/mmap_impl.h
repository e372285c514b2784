/*
 * mmap_impl.h: VMA-set helpers of mmap.c that region.c also uses.
 * Private to mm/.
 */
#ifndef MM_MMAP_IMPL_H
#define MM_MMAP_IMPL_H

#include <stdint.h>
#include "mm.h"

/* Make addr a VMA boundary: split the VMA containing it (nothing when
 * addr is a boundary or unmapped).  0 or -MM_ENOMEM. */
int mm_split_at(struct mm *mm, uint64_t addr);

/* Drop every VMA and page in [start, end) (page aligned), splitting the
 * VMAs at the ends.  0 or -MM_ENOMEM (a split failed: nothing changed). */
int mm_unmap_range(struct mm *mm, uint64_t start, uint64_t end);

#endif /* MM_MMAP_IMPL_H */
