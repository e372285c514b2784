/*
 * pte.h: how the memory manager uses page-table entries: the software
 * bits (ignored by the MMU) and what they mean in a user PTE, on top of
 * the architecture's bits (x86.h) and the user layout (layout.h).
 *
 *   bit  9  PTE_SW_SHARED   the frame is legitimately shared by a MAP_SHARED
 *                           mapping (the host auditor accepts two writable
 *                           mappings of it only if both carry this bit)
 *   bit 10  PTE_SW_COW      private page shared copy-on-write: read-only in
 *                           the PTE although the VMA is writable
 *   bit 11  PTE_SW_ZERO     maps the shared zero page; never with RW
 *   bit 52  PTE_SW_PROTNONE only with P clear: the PTE still owns its frame
 *                           (address bits valid) but mprotect(PROT_NONE)
 *                           made it inaccessible.  With P clear the MMU
 *                           ignores bits 1..63, so this is safe.
 *
 * In a PD entry (one that points at a leaf table), the MMU ignores bits
 * 9..11 too:
 *
 *   bit  9  PDE_SW_PTSHARED the leaf table is shared by several address
 *                           spaces since a fork (ptshare.c); the entry
 *                           is read-only in every one of them, so no
 *                           sharer can write through it.  The host
 *                           auditor accepts a table reached from two
 *                           spaces only when every entry pointing at it
 *                           carries this bit and lacks RW.
 */
#ifndef MM_PTE_H
#define MM_PTE_H

#include <stdint.h>
#include "layout.h"
#include "x86.h"

#define PTE_SW_SHARED   (1ULL << 9)
#define PTE_SW_COW      (1ULL << 10)
#define PTE_SW_ZERO     (1ULL << 11)
#define PTE_SW_PROTNONE (1ULL << 52)
#define PTE_SW_MASK     (PTE_SW_SHARED | PTE_SW_COW | PTE_SW_ZERO | PTE_SW_PROTNONE)

#define PDE_SW_PTSHARED (1ULL << 9)

/* A PTE "holds" a frame when present, or when made PROT_NONE. */
#define PTE_HOLDS_FRAME(pte) (((pte) & (PTE_P | PTE_SW_PROTNONE)) != 0)

_Static_assert(PTE_SW_SHARED == 0x200 && PTE_SW_COW == 0x400 &&
	       PTE_SW_ZERO == 0x800, "software bits are 9, 10, 11");
_Static_assert((PTE_SW_PROTNONE & PTE_ADDR_MASK) == 0,
	       "PROTNONE marker must not overlap the frame address");
_Static_assert(PX(3, USER_END) == PT_USER_SLOTS, "user half is slots 0..255");

#endif /* MM_PTE_H */
