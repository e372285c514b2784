/*
 * vmstat.c: the counters and their "name value" listing (like
 * /proc/vmstat).  Frame totals are read from the allocator at format time.
 */
#include "vmstat.h"
#include "textbuf.h"
#include "frame.h"

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

/*
 * Write every counter as "name value\n" into buf (always NUL-terminated
 * when len > 0), then the frame totals: frames_total, frames_free,
 * frames_<state> for each used state, clear_policy.  Returns the length
 * the full text needs (like snprintf), so a caller can detect truncation.
 */
size_t vmstat_format(char *buf, size_t len)
{
	struct tbuf b;
	unsigned i;

	tbuf_init(&b, buf, len);
	for (i = 0; i < VMSTAT_NR; i++) {
		tbuf_str(&b, names[i]);
		tbuf_char(&b, ' ');
		tbuf_dec(&b, vmstat_count[i]);
		tbuf_char(&b, '\n');
	}
	tbuf_str(&b, "frames_total ");
	tbuf_dec(&b, frame_count_total());
	tbuf_char(&b, '\n');
	for (i = 0; i < FRAME_NSTATES; i++) {
		tbuf_str(&b, "frames_");
		tbuf_str(&b, frame_state_name((enum frame_state)i));
		tbuf_char(&b, ' ');
		tbuf_dec(&b, frame_count_state((enum frame_state)i));
		tbuf_char(&b, '\n');
	}
	tbuf_str(&b, "clear_policy ");
	tbuf_str(&b, frame_clear_policy_name(frame_clear_policy()));
	tbuf_char(&b, '\n');
	return tbuf_finish(&b);
}
