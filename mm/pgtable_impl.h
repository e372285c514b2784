/*
 * pgtable_impl.h: page-table internals shared by pgtable.c (map, unmap,
 * protect, walk, the TLB rule) and pgtable_copy.c (copying a range into
 * another address space).  Private to mm/: nothing else includes it.
 */
#ifndef MM_PGTABLE_IMPL_H
#define MM_PGTABLE_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include "frame.h"
#include "pgtable.h"

static inline uint64_t *table_of(uint64_t pa)
{
	return frame_p2v(pa);
}

uint64_t pt_set(struct pt_flush *fl, uint64_t va, uint64_t *ptep,
		uint64_t new, bool leaf);
uint64_t pt_table_flags(uint64_t va);
bool pt_release_if_empty(struct pt_flush *fl, uint64_t va, uint64_t *pe);

#endif /* MM_PGTABLE_IMPL_H */
