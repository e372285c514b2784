/*
 * pte.h: x86-64 4-level paging, the bits and index arithmetic, in one place.
 *
 * A 48-bit virtual address is split by the MMU like this:
 *
 *   63       48 47     39 38     30 29     21 20     12 11          0
 *  +-----------+---------+---------+---------+---------+-------------+
 *  | sign ext. | PML4 idx| PDPT idx|  PD idx |  PT idx | page offset |
 *  |  of bit 47|  level 3|  level 2|  level 1|  level 0|             |
 *  +-----------+---------+---------+---------+---------+-------------+
 *
 * Levels are numbered from the leaf: 0 = PT (4 KiB pages), 1 = PD (2 MiB
 * pages when PS is set), 2 = PDPT, 3 = PML4.  PX(level, va) is the index
 * into the table at that level.
 *
 * Software bits (ignored by the MMU) and what they mean in a user PTE:
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
 */
#ifndef MM_PTE_H
#define MM_PTE_H

#include <stdint.h>
#include "memlayout.h"

/* hardware bits */
#define PTE_P     (1ULL << 0)   /* present */
#define PTE_RW    (1ULL << 1)   /* writable */
#define PTE_US    (1ULL << 2)   /* user accessible */
#define PTE_PWT   (1ULL << 3)   /* write-through */
#define PTE_PCD   (1ULL << 4)   /* cache disable */
#define PTE_A     (1ULL << 5)   /* accessed (set by the MMU) */
#define PTE_D     (1ULL << 6)   /* dirty (set by the MMU, leaf only) */
#define PTE_PS    (1ULL << 7)   /* large page (PD, PDPT levels) */
#define PTE_G     (1ULL << 8)   /* global (leaf only, needs CR4.PGE) */
#define PTE_NX    (1ULL << 63)  /* no execute (needs EFER.NXE) */

/* software bits, see the comment above */
#define PTE_SW_SHARED   (1ULL << 9)
#define PTE_SW_COW      (1ULL << 10)
#define PTE_SW_ZERO     (1ULL << 11)
#define PTE_SW_PROTNONE (1ULL << 52)
#define PTE_SW_MASK     (PTE_SW_SHARED | PTE_SW_COW | PTE_SW_ZERO | PTE_SW_PROTNONE)

#define PTE_ADDR_MASK   0x000ffffffffff000ULL      /* bits 12..51 */
#define PTE_ADDR(pte)   ((uint64_t)((uint64_t)(pte) & PTE_ADDR_MASK))
#define PTE_FLAGS(pte)  ((uint64_t)((uint64_t)(pte) & ~PTE_ADDR_MASK))
/* Large-page (2 MiB) frame address: bits 21..51 (bit 12 is PAT there). */
#define PTE_LARGE_ADDR_MASK 0x000fffffffe00000ULL

/* A PTE "holds" a frame when present, or when made PROT_NONE. */
#define PTE_HOLDS_FRAME(pte) (((pte) & (PTE_P | PTE_SW_PROTNONE)) != 0)

/* page-fault error code bits (pushed by the CPU with #PF) */
#define PF_ERR_P     (1ULL << 0)  /* 1: protection violation, 0: not present */
#define PF_ERR_W     (1ULL << 1)  /* write access */
#define PF_ERR_U     (1ULL << 2)  /* access from CPL 3 */
#define PF_ERR_RSVD  (1ULL << 3)  /* reserved bit set in a paging entry */
#define PF_ERR_I     (1ULL << 4)  /* instruction fetch */

/* tables and indices */
#define PT_LEVELS       4
#define PT_ENTRIES      512
#define PT_INDEX_BITS   9
#define PT_SHIFT(level) (PAGE_SHIFT + PT_INDEX_BITS * (level))
#define PX(level, va)   (((uint64_t)(va) >> PT_SHIFT(level)) & (PT_ENTRIES - 1))
#define PT_LEVEL_SIZE(level) (1ULL << PT_SHIFT(level))  /* bytes one entry maps */
#define PT_USER_SLOTS   256      /* PML4 slots 0..255 are the user half */

#define PG_MASK         (PAGE_SIZE - 1)
#define PG_ROUND_DOWN(a) ((uint64_t)(a) & ~PG_MASK)
#define PG_ROUND_UP(a)   (((uint64_t)(a) + PG_MASK) & ~PG_MASK)
#define PG_ALIGNED(a)    (((uint64_t)(a) & PG_MASK) == 0)
#define PG_INDEX(pa)     ((uint64_t)(pa) >> PAGE_SHIFT)

_Static_assert(PTE_NX == 0x8000000000000000ULL, "NX is bit 63");
_Static_assert(PTE_PS == 0x80, "PS is bit 7");
_Static_assert(PTE_G == 0x100, "G is bit 8");
_Static_assert(PTE_SW_SHARED == 0x200 && PTE_SW_COW == 0x400 &&
	       PTE_SW_ZERO == 0x800, "software bits are 9, 10, 11");
_Static_assert((PTE_SW_PROTNONE & PTE_ADDR_MASK) == 0,
	       "PROTNONE marker must not overlap the frame address");
_Static_assert(PT_SHIFT(3) == 39 && PT_SHIFT(1) == 21, "PML4 bit 39, PD bit 21");
_Static_assert(PX(3, DIRECT_MAP_BASE) == DIRECT_MAP_SLOT, "direct map slot");
_Static_assert(PX(3, USER_END) == PT_USER_SLOTS, "user half is slots 0..255");
_Static_assert(PAGE_SIZE == (1ULL << PAGE_SHIFT), "page size");
_Static_assert(PF_ERR_I == 0x10 && PF_ERR_RSVD == 0x8, "#PF error code bits");

#endif /* MM_PTE_H */
