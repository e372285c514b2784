/*
 * x86.h: what the host side needs of the x86-64 architecture beyond
 * mm/x86.h (paging, CR0/CR4/EFER/RFLAGS, shared with the kernel and mm/):
 * segment encodings, and a check of mm/x86.h's register bits against the
 * kernel's uapi header.
 */
#ifndef VMM_X86_H
#define VMM_X86_H

#include <stdint.h>
#include <asm/processor-flags.h>

#include "mm/x86.h"

_Static_assert(CR0_PE == X86_CR0_PE && CR0_MP == X86_CR0_MP &&
	       CR0_NE == X86_CR0_NE && CR0_WP == X86_CR0_WP &&
	       CR0_PG == X86_CR0_PG, "CR0 bits match asm/processor-flags.h");
_Static_assert(CR4_PAE == X86_CR4_PAE && CR4_PGE == X86_CR4_PGE &&
	       CR4_OSFXSR == X86_CR4_OSFXSR &&
	       CR4_OSXMMEXCPT == X86_CR4_OSXMMEXCPT &&
	       CR4_SMEP == X86_CR4_SMEP && CR4_SMAP == X86_CR4_SMAP &&
	       CR4_PKE == X86_CR4_PKE, "CR4 bits match asm/processor-flags.h");
_Static_assert(RFLAGS_FIXED == X86_EFLAGS_FIXED && RFLAGS_IF == X86_EFLAGS_IF,
	       "RFLAGS bits match asm/processor-flags.h");

/* Segment descriptor types (S=1 code/data, S=0 system; SDM 3.4.5). */
#define SEG_TYPE_DATA_RW       0x3   /* read/write, accessed */
#define SEG_TYPE_CODE_XR       0xb   /* execute/read, accessed */
#define SEG_TYPE_TSS64_BUSY    0xb   /* system: 64-bit TSS, busy */
#define SEG_TSS64_LIMIT        0x67  /* 104-byte TSS */

#endif /* VMM_X86_H */
