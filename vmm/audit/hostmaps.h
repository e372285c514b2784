/*
 * hostmaps.h: an address space's mappings as the host's page walk sees
 * them, /proc/PID/maps-like: runs of consecutive present user pages with
 * the same effective permissions (RW and US AND-ed down the walk, NX
 * OR-ed), each with its first frame and its length.  The kernel's own
 * /proc/PID/maps (dump=maps) shows VMAs; this shows what the MMU would
 * do, which is what the auditor judges.
 */
#ifndef VMM_AUDIT_HOSTMAPS_H
#define VMM_AUDIT_HOSTMAPS_H

#include <stdint.h>
#include <stdio.h>

#include "vmm/audit/walk.h"
#include "vmm/gmem.h"

struct hostmap_run {
	uint64_t start, end;    /* VAs, [start, end) */
	uint64_t first_pa;      /* frame of start */
	uint64_t eff;           /* effective P RW US NX, and PTE_SW_SHARED */
	uint64_t pages;         /* 4 KiB pages mapped */
};

/*
 * Call fn(arg, run) for each run of root's user half, in VA order.
 * Returns the number of runs, or -1 when out of memory.
 */
long hostmaps_walk(const struct gmem *m, const struct walk_mode *mode,
		   uint64_t root, void (*fn)(void *arg,
					     const struct hostmap_run *r),
		   void *arg);

/* Linux's permission letters for eff ("r-xp", "rw-s"). */
void hostmaps_perms(uint64_t eff, char out[5]);

#endif /* VMM_AUDIT_HOSTMAPS_H */
