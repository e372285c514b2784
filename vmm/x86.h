/*
 * x86.h: the x86-64 architectural bits the host side needs, named once.
 *
 * CR0/CR4 bits are checked against the kernel's uapi header; EFER bits and
 * segment/PTE encodings are hand-copied from the SDM (vol. 3, 2.2.1, 3.4.5,
 * 4.5) and pinned by _Static_assert on their bit positions.
 */
#ifndef VMM_X86_H
#define VMM_X86_H

#include <asm/processor-flags.h>

#define X86_BIT(n)     (1ULL << (n))

/* Control registers. */
#define CR0_PE         X86_BIT(0)    /* protected mode */
#define CR0_MP         X86_BIT(1)    /* monitor coprocessor */
#define CR0_NE         X86_BIT(5)    /* native x87 errors */
#define CR0_WP         X86_BIT(16)   /* supervisor honours R/O pages */
#define CR0_PG         X86_BIT(31)   /* paging */
#define CR4_PAE        X86_BIT(5)
#define CR4_PGE        X86_BIT(7)    /* global pages */
#define CR4_OSFXSR     X86_BIT(9)
#define CR4_OSXMMEXCPT X86_BIT(10)

_Static_assert(CR0_PE == X86_CR0_PE && CR0_MP == X86_CR0_MP &&
	       CR0_NE == X86_CR0_NE && CR0_WP == X86_CR0_WP &&
	       CR0_PG == X86_CR0_PG, "CR0 bits match asm/processor-flags.h");
_Static_assert(CR4_PAE == X86_CR4_PAE && CR4_PGE == X86_CR4_PGE &&
	       CR4_OSFXSR == X86_CR4_OSFXSR &&
	       CR4_OSXMMEXCPT == X86_CR4_OSXMMEXCPT,
	       "CR4 bits match asm/processor-flags.h");

/* IA32_EFER (MSR 0xc0000080). */
#define EFER_SCE       X86_BIT(0)    /* syscall enable */
#define EFER_LME       X86_BIT(8)    /* long mode enable */
#define EFER_LMA       X86_BIT(10)   /* long mode active */
#define EFER_NXE       X86_BIT(11)   /* no-execute enable */
_Static_assert(EFER_LME == 0x100 && EFER_LMA == 0x400 && EFER_NXE == 0x800,
	       "EFER bits (SDM 2.2.1)");

/* RFLAGS: bit 1 is reserved and always 1. */
#define RFLAGS_FIXED   X86_BIT(1)
#define RFLAGS_IF      X86_BIT(9)
_Static_assert(RFLAGS_FIXED == X86_EFLAGS_FIXED && RFLAGS_IF == X86_EFLAGS_IF,
	       "RFLAGS bits match asm/processor-flags.h");

/* Segment descriptor types (S=1 code/data, S=0 system). */
#define SEG_TYPE_DATA_RW       0x3   /* read/write, accessed */
#define SEG_TYPE_CODE_XR       0xb   /* execute/read, accessed */
#define SEG_TYPE_TSS64_BUSY    0xb   /* system: 64-bit TSS, busy */
#define SEG_TSS64_LIMIT        0x67  /* 104-byte TSS */

/* Page-table entry bits (4-level paging). */
#define PTE_P          X86_BIT(0)
#define PTE_RW         X86_BIT(1)
#define PTE_US         X86_BIT(2)
#define PTE_PS         X86_BIT(7)    /* 2 MiB / 1 GiB leaf in PD / PDPT */
#define PTE_NX         X86_BIT(63)
#define PTE_ADDR_MASK  0x000ffffffffff000ULL

#define PT_ENTRIES     512
#define PT_INDEX(va, level) (((va) >> (12 + 9 * ((level) - 1))) & 0x1ff)
_Static_assert(PT_INDEX(0xffffffff80000000ULL, 4) == 511 &&
	       PT_INDEX(0xffffffff80000000ULL, 3) == 510,
	       "the top 2 GiB is PML4 slot 511, PDPT slots 510-511");

#endif /* VMM_X86_H */
