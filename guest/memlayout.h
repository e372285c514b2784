/*
 * memlayout.h: the guest's virtual memory map, drawn once.
 *
 *  0xffffffffffffffff +------------------------------+
 *                     | kernel image (top 2 GiB)     | KERNEL_VIRT_BASE + phys
 *  0xffffffff80000000 +------------------------------+
 *                     | ...                          |
 *  0xffff888000000000 +------------------------------+ DIRECT_MAP_BASE
 *                     | direct map of all RAM,       |  (PML4 slot 273)
 *                     | 2 MiB pages, RW, NX, global  |
 *                     +------------------------------+
 *                     | non-canonical hole           |
 *  0x0000800000000000 +------------------------------+ USER_END
 *                     | the user half (mm/layout.h): |
 *                     | stack, mmap area, heap, data,|
 *                     | text from USER_TEXT_BASE     |
 *  0x0000000000000000 +------------------------------+
 *
 * The kernel reaches any frame through the direct map; user pages are
 * mapped with 4 KiB PTEs in the lower half only.
 */
#ifndef GUEST_MEMLAYOUT_H
#define GUEST_MEMLAYOUT_H

#include <stdint.h>
#include "guest/abi.h"
#include "mm/layout.h"       /* the user half: mm/ lays it out */
#include "mm/x86.h"

#define DIRECT_MAP_BASE    0xffff888000000000ULL
#define DIRECT_MAP_SLOT    273

#define P2V(pa)  ((void *)((uint64_t)(pa) + DIRECT_MAP_BASE))
#define V2P(va)  ((uint64_t)(va) - DIRECT_MAP_BASE)
/* kernel image symbols: virtual = physical + KERNEL_VIRT_BASE */
#define KV2P(va) ((uint64_t)(va) - KERNEL_VIRT_BASE)

/* Physical address of any kernel pointer: image symbol or direct map. */
static inline uint64_t kva_to_pa(const void *va)
{
	uint64_t v = (uint64_t)va;

	return v >= KERNEL_VIRT_BASE ? v - KERNEL_VIRT_BASE : v - DIRECT_MAP_BASE;
}

/* LAPIC, mapped uncached by the kernel at its physical address + direct map */
#define LAPIC_GPA          0xfee00000ULL

_Static_assert(DIRECT_MAP_BASE == (0xffff000000000000ULL | (273ULL << 39)),
	       "direct map base is PML4 slot 273");
_Static_assert(PX(3, DIRECT_MAP_BASE) == DIRECT_MAP_SLOT, "direct map slot");

#endif /* GUEST_MEMLAYOUT_H */
