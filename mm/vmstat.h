/*
 * vmstat.h: memory-manager event counters (faults by kind, clears by
 * policy, frames, TLB flushes), and a "name value" per line formatter.
 */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include <stddef.h>
#include <stdint.h>

enum vmstat_item {
	VMSTAT_FAULT_ZERO_READ,        /* zero page mapped on a read */
	VMSTAT_FAULT_DEMAND_ZERO,      /* fresh frame on a first write */
	VMSTAT_FAULT_WRITE_AFTER_ZERO, /* zero page replaced on a write */
	VMSTAT_FAULT_STACK_GROW,       /* stack VMA grown down */
	VMSTAT_FAULT_SHARED_ANON,      /* MAP_SHARED|MAP_ANONYMOUS page */
	VMSTAT_FAULT_SPURIOUS,         /* PTE already allowed the access */
	VMSTAT_FAULT_OOM,              /* no frame for a valid fault */
	VMSTAT_KILL,                   /* SEGV outcomes */
	VMSTAT_CLEAR_FAULT,            /* user frames cleared at fault */
	VMSTAT_CLEAR_FREE,             /* frames cleared at free */
	VMSTAT_CLEAR_IDLE,             /* frames pre-cleared by the idle loop */
	VMSTAT_CLEAR_SKIPPED,          /* fault found a clean frame */
	VMSTAT_CLEAR_KERNEL,           /* page tables / kernel frames cleared */
	VMSTAT_POISON_FREE,            /* frames poisoned at free (page_poison) */
	VMSTAT_FRAME_ALLOC,
	VMSTAT_FRAME_FREE,
	VMSTAT_PT_ALLOC,               /* page-table pages */
	VMSTAT_PT_FREE,
	VMSTAT_TLB_FLUSH_PAGE,
	VMSTAT_TLB_FLUSH_ALL,
	VMSTAT_FAULT_COW_COPY,         /* COW write: frame copied */
	VMSTAT_FAULT_COW_REUSE,        /* COW write: last mapping, no copy */
	VMSTAT_FORK,                   /* address spaces forked */
	VMSTAT_FORK_PTES,              /* PTEs shared by fork */
	VMSTAT_FAULT_FILE,             /* page-cache frame mapped (any) */
	VMSTAT_FAULT_FILE_SHARED,      /* ... of them, for MAP_SHARED */
	VMSTAT_FAULT_FILE_COPY,        /* private file page copied on a
					  not-present write */
	VMSTAT_PAGECACHE_HIT,          /* page-cache lookups that found the page */
	VMSTAT_REGION_COPY,            /* mm_region_copy calls */
	VMSTAT_REGION_COPY_PTES,       /* PTEs shared COW by region copy */
	VMSTAT_REGION_COPY_BYTES,      /* bytes copied byte-wise by it */
	VMSTAT_PT_SHARE,               /* leaf tables shared by fork */
	VMSTAT_PT_UNSHARE,             /* ... copied for one sharer */
	VMSTAT_PT_DETACH,              /* ... dropped by one sharer */
	VMSTAT_NR
};

extern uint64_t vmstat_count[VMSTAT_NR];

static inline void vmstat_inc(enum vmstat_item i)
{
	vmstat_count[i]++;
}

static inline void vmstat_add(enum vmstat_item i, uint64_t n)
{
	vmstat_count[i] += n;
}

static inline uint64_t vmstat_get(enum vmstat_item i)
{
	return vmstat_count[i];
}

void vmstat_reset(void);
const char *vmstat_name(enum vmstat_item i);
size_t vmstat_format(char *buf, size_t len);

#endif /* MM_VMSTAT_H */
