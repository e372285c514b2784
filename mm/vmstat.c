/*
 * vmstat.c: the memory manager's event counters and their names.  Their
 * text listing, with the allocator's frame counts, is vmstat_text.c.
 */
#include "vmstat.h"

uint64_t vmstat_count[VMSTAT_NR];

static const char *const names[VMSTAT_NR] = {
	[VMSTAT_FAULT_ZERO_READ] = "fault_zero_read",
	[VMSTAT_FAULT_DEMAND_ZERO] = "fault_demand_zero",
	[VMSTAT_FAULT_WRITE_AFTER_ZERO] = "fault_write_after_zero",
	[VMSTAT_FAULT_STACK_GROW] = "fault_stack_grow",
	[VMSTAT_FAULT_SHARED_ANON] = "fault_shared_anon",
	[VMSTAT_FAULT_SPURIOUS] = "fault_spurious",
	[VMSTAT_FAULT_OOM] = "fault_oom",
	[VMSTAT_KILL] = "kill_segv",
	[VMSTAT_CLEAR_FAULT] = "clear_at_fault",
	[VMSTAT_CLEAR_FREE] = "clear_at_free",
	[VMSTAT_CLEAR_IDLE] = "clear_at_idle",
	[VMSTAT_CLEAR_SKIPPED] = "clear_skipped_clean",
	[VMSTAT_CLEAR_KERNEL] = "clear_kernel",
	[VMSTAT_POISON_FREE] = "poison_at_free",
	[VMSTAT_FRAME_ALLOC] = "frame_alloc",
	[VMSTAT_FRAME_FREE] = "frame_free",
	[VMSTAT_PT_ALLOC] = "pagetable_alloc",
	[VMSTAT_PT_FREE] = "pagetable_free",
	[VMSTAT_TLB_FLUSH_PAGE] = "tlb_flush_page",
	[VMSTAT_TLB_FLUSH_ALL] = "tlb_flush_all",
	[VMSTAT_FAULT_COW_COPY] = "fault_cow_copy",
	[VMSTAT_FAULT_COW_REUSE] = "fault_cow_reuse",
	[VMSTAT_FORK] = "fork",
	[VMSTAT_FORK_PTES] = "fork_ptes",
	[VMSTAT_FAULT_FILE] = "fault_file",
	[VMSTAT_FAULT_FILE_SHARED] = "fault_file_shared",
	[VMSTAT_FAULT_FILE_COPY] = "fault_file_copy",
	[VMSTAT_PAGECACHE_HIT] = "pagecache_hit",
	[VMSTAT_REGION_COPY] = "region_copy",
	[VMSTAT_REGION_COPY_PTES] = "region_copy_ptes",
	[VMSTAT_REGION_COPY_BYTES] = "region_copy_bytes",
	[VMSTAT_PT_SHARE] = "pt_share",
	[VMSTAT_PT_UNSHARE] = "pt_unshare",
	[VMSTAT_PT_DETACH] = "pt_detach",
};

void vmstat_reset(void)
{
	unsigned i;

	for (i = 0; i < VMSTAT_NR; i++)
		vmstat_count[i] = 0;
}

const char *vmstat_name(enum vmstat_item i)
{
	return (unsigned)i < VMSTAT_NR ? names[i] : "?";
}
