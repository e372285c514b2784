/* kpt.h: the kernel's own page tables, built once at boot. */
#ifndef KPT_H
#define KPT_H

#include <stdint.h>

/*
 * Build the kernel page tables (direct map of RAM, the kernel image with
 * per-section permissions, the LAPIC page) in frames taken from *early_next
 * upward, accessed through the VMM's identity map, and switch CR3 to them.
 * Returns the physical address of the kernel PML4; *early_next is advanced
 * past the frames used.
 */
uint64_t kpt_init(uint64_t mem_size, uint64_t *early_next);

#endif /* KPT_H */
