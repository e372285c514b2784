/*
 * region.h: region copy (the seed's "dput COPY"): copy a byte range of
 * one address space into another, sharing whole pages copy-on-write.
 * The exact semantics are above mm_region_copy in region.c.
 */
#ifndef MM_REGION_H
#define MM_REGION_H

#include <stdint.h>
#include "mm.h"

int mm_region_copy(struct mm *src, uint64_t addr, uint64_t len,
		   struct mm *dst, uint64_t dst_addr);

#endif /* MM_REGION_H */
