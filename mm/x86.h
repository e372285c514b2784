/*
 * x86.h: the x86-64 architecture as the memory manager, the kernel and the
 * VMM all see it, named once: 4-level paging (entry bits, the address
 * split, #PF error codes) and the control-register, EFER and RFLAGS bits.
 * Values are from the Intel SDM vol. 3 (2.2.1, 2.5, 4.5, 4.7) and pinned
 * by _Static_assert on their bit positions.  Pure definitions: no code.
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
 */
#ifndef MM_X86_H
#define MM_X86_H

#ifndef __ASSEMBLY__
#include <stdint.h>     /* PX() and the assertions use uint64_t */
#endif

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1ULL << PAGE_SHIFT)
#define HUGE_PAGE_SIZE  (2ULL << 20)

/* Paging-structure entry bits (SDM 4.5, tables 4-15 to 4-20). */
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

#define PTE_ADDR_MASK   0x000ffffffffff000ULL      /* bits 12..51 */
#define PTE_ADDR(pte)   ((uint64_t)((uint64_t)(pte) & PTE_ADDR_MASK))
#define PTE_FLAGS(pte)  ((uint64_t)((uint64_t)(pte) & ~PTE_ADDR_MASK))
/* Large-page (2 MiB) frame address: bits 21..51 (bit 12 is PAT there). */
#define PTE_LARGE_ADDR_MASK 0x000fffffffe00000ULL

/* Page-fault error code bits, pushed by the CPU with #PF (SDM 4.7). */
#define PF_ERR_P     (1ULL << 0)  /* 1: protection violation, 0: not present */
#define PF_ERR_W     (1ULL << 1)  /* write access */
#define PF_ERR_U     (1ULL << 2)  /* access from CPL 3 */
#define PF_ERR_RSVD  (1ULL << 3)  /* reserved bit set in a paging entry */
#define PF_ERR_I     (1ULL << 4)  /* instruction fetch */

/* Tables and indices. */
#define PT_LEVELS       4
#define PT_ENTRIES      512
#define PT_INDEX_BITS   9
#define PT_SHIFT(level) (PAGE_SHIFT + PT_INDEX_BITS * (level))
#define PX(level, va)   (((uint64_t)(va) >> PT_SHIFT(level)) & (PT_ENTRIES - 1))
#define PT_LEVEL_SIZE(level) (1ULL << PT_SHIFT(level))  /* bytes one entry maps */
#define PT_USER_SLOTS   256      /* PML4 slots 0..255 are the lower half */

#define PG_MASK         (PAGE_SIZE - 1)
#define PG_ROUND_DOWN(a) ((uint64_t)(a) & ~PG_MASK)
#define PG_ROUND_UP(a)   (((uint64_t)(a) + PG_MASK) & ~PG_MASK)
#define PG_ALIGNED(a)    (((uint64_t)(a) & PG_MASK) == 0)
#define PG_INDEX(pa)     ((uint64_t)(pa) >> PAGE_SHIFT)

/* Control registers (SDM 2.5). */
#define CR0_PE   (1ULL << 0)    /* protected mode */
#define CR0_MP   (1ULL << 1)    /* monitor coprocessor */
#define CR0_EM   (1ULL << 2)    /* x87 emulation */
#define CR0_TS   (1ULL << 3)    /* task switched (lazy FPU) */
#define CR0_NE   (1ULL << 5)    /* native x87 errors */
#define CR0_WP   (1ULL << 16)   /* supervisor honours read-only pages */
#define CR0_PG   (1ULL << 31)   /* paging */
#define CR4_PAE        (1ULL << 5)
#define CR4_PGE        (1ULL << 7)   /* global pages */
#define CR4_OSFXSR     (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define CR4_SMEP       (1ULL << 20)
#define CR4_SMAP       (1ULL << 21)
#define CR4_PKE        (1ULL << 22)

/* IA32_EFER (SDM 2.2.1). */
#define MSR_EFER       0xc0000080U
#define EFER_SCE       (1ULL << 0)   /* syscall enable */
#define EFER_LME       (1ULL << 8)   /* long mode enable */
#define EFER_LMA       (1ULL << 10)  /* long mode active */
#define EFER_NXE       (1ULL << 11)  /* no-execute enable */

/* RFLAGS: bit 1 is reserved and always 1. */
#define RFLAGS_FIXED   (1ULL << 1)
#define RFLAGS_IF      (1ULL << 9)

_Static_assert(PTE_NX == 0x8000000000000000ULL, "NX is bit 63");
_Static_assert(PTE_PS == 0x80, "PS is bit 7");
_Static_assert(PTE_G == 0x100, "G is bit 8");
_Static_assert(PT_SHIFT(3) == 39 && PT_SHIFT(1) == 21, "PML4 bit 39, PD bit 21");
_Static_assert(PX(3, 0xffffffff80000000ULL) == 511 &&
	       PX(2, 0xffffffff80000000ULL) == 510,
	       "the top 2 GiB is PML4 slot 511, PDPT slots 510-511");
_Static_assert(PF_ERR_I == 0x10 && PF_ERR_RSVD == 0x8, "#PF error code bits");
_Static_assert(CR0_WP == 0x10000, "CR0.WP is bit 16");
_Static_assert(CR4_OSFXSR == 0x200 && CR4_SMEP == 0x100000, "CR4 bits");
_Static_assert(EFER_LME == 0x100 && EFER_LMA == 0x400 && EFER_NXE == 0x800,
	       "EFER bits");

#endif /* MM_X86_H */
