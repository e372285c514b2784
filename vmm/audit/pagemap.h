/*
 * pagemap.h: a process's page tables as a Linux /proc/PID/pagemap file
 * (Documentation/admin-guide/mm/pagemap.rst): one 64-bit entry per virtual
 * page at offset (VA / 4096) * 8, a sparse file where nothing is mapped.
 *
 *   bits 0-54  PFN (present pages)
 *   bit  55    soft-dirty: here the PTE's dirty bit
 *   bit  56    exclusively mapped (one user PTE maps the frame)
 *   bit  61    file page or shared anonymous (PTE_SW_SHARED)
 *   bit  62    swapped (never: there is no swap)
 *   bit  63    present
 */
#ifndef VMM_PAGEMAP_H
#define VMM_PAGEMAP_H

#include <stdint.h>

#include "vmm/audit/frames.h"

#define PAGEMAP_PFN_MASK    ((1ULL << 55) - 1)
#define PAGEMAP_SOFT_DIRTY  (1ULL << 55)
#define PAGEMAP_EXCLUSIVE   (1ULL << 56)
#define PAGEMAP_FILE_SHARED (1ULL << 61)
#define PAGEMAP_SWAPPED     (1ULL << 62)
#define PAGEMAP_PRESENT     (1ULL << 63)

/* The entry for one 4 KiB page at pa mapped by leaf entry pte. */
uint64_t pagemap_entry(uint64_t pa, uint64_t pte, const struct frame_census *c);

/*
 * Write the pagemap of the address space at root to path (created or
 * truncated).  Returns the number of present pages written, or -errno.
 */
long pagemap_write(const char *path, const struct gmem *m,
		   const struct walk_mode *mode, uint64_t root,
		   const struct frame_census *c);

#endif /* VMM_PAGEMAP_H */
