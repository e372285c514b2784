/*
 * test_mm_segv.c: accesses the address space does not allow kill the
 * process with the segfault line for the exact address and status 139,
 * after the allowed accesses around them worked: the hole left by munmap
 * of a middle range, a write to an mprotect'ed read-only page, and stack
 * growth (fine within RLIMIT_STACK, a kill just past it).  Every frame
 * comes back even from killed processes.
 */
#include "test_mm_common.h"

/* Hand-copied from guest/memlayout.h (USER_STACK_TOP, USER_STACK_LIMIT). */
#define USER_STACK_TOP   0x00007ffffffff000UL
#define USER_STACK_LIMIT (8UL << 20)

/* x86 #PF error code bits */
#define PF_P 1UL
#define PF_W 2UL
#define PF_U 4UL

START_TEST(munmap_middle_sides_work_hole_kills)
{
	struct vm_result r;
	struct mm_segv s;
	unsigned long hole;

	vm_boot(&r, KERNEL_PATH, PROG("mm_munmap_hole"), NULL);
	vm_check_out_line(&r, "mm_munmap_hole: both sides intact (pages 0..1 and 4..7)");
	hole = vm_report_get(&r, "mm_munmap_hole.hole");
	mm_get_segv(&r, "mm_munmap_hole", &s);
	vm_check(&r, s.addr == hole, "segfault at %#lx, expected the hole %#lx",
		 s.addr, hole);
	vm_check(&r, s.err == PF_U, "error %lx, expected 4 (user read, not present)",
		 s.err);
	vm_check(&r, !strstr(r.out, "FAIL"), "mm_munmap_hole printed a FAIL line");
	mm_check_run(&r, 128 + 11);
	vm_result_free(&r);
}
END_TEST

START_TEST(mprotect_readonly_write_kills_error_7)
{
	struct vm_result r;
	struct mm_segv s;
	unsigned long at;

	vm_boot(&r, KERNEL_PATH, PROG("mm_mprotect_ro"), NULL);
	vm_check_out_line(&r, "mm_mprotect_ro: 4 pages read-only and intact");
	at = vm_report_get(&r, "mm_mprotect_ro.write_at");
	mm_get_segv(&r, "mm_mprotect_ro", &s);
	vm_check(&r, s.addr == at, "segfault at %#lx, expected %#lx", s.addr, at);
	vm_check(&r, s.err == (PF_P | PF_W | PF_U),
		 "error %lx, expected 7 (present, write, user)", s.err);
	vm_check(&r, !strstr(r.out, "FAIL"), "mm_mprotect_ro printed a FAIL line");
	mm_check_run(&r, 128 + 11);
	vm_result_free(&r);
}
END_TEST

START_TEST(stack_growth_within_limit)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("mm_stack"), "--", "1024", NULL);
	vm_check_out_line(&r, "mm_stack: ok: 1024 KiB of stack");
	vm_check(&r, vm_match(r.klog, "segfault", NULL, 0) < 0,
		 "a segfault line appeared within the stack limit");
	mm_check_run(&r, 0);
	vm_result_free(&r);
}
END_TEST

/* 9 MiB of recursion: killed by the fault in the page below the limit. */
START_TEST(stack_past_rlimit_kills)
{
	const unsigned long floor = USER_STACK_TOP - USER_STACK_LIMIT;
	struct vm_result r;
	struct mm_segv s;

	vm_boot(&r, KERNEL_PATH, PROG("mm_stack"), "--", "9216", NULL);
	mm_get_segv(&r, "mm_stack", &s);
	vm_check(&r, s.addr < floor && s.addr >= floor - PAGE_SIZE,
		 "segfault at %#lx, expected in the page below the 8 MiB limit "
		 "[%#lx, %#lx)", s.addr, floor - PAGE_SIZE, floor);
	vm_check(&r, s.err & PF_U, "error %lx, expected a user-mode fault", s.err);
	vm_check_out_lacks(&r, "mm_stack: ok");
	mm_check_run(&r, 128 + 11);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_mm_segv");

	itest_add(s, "munmap_middle_sides_work_hole_kills",
		  munmap_middle_sides_work_hole_kills);
	itest_add(s, "mprotect_readonly_write_kills_error_7",
		  mprotect_readonly_write_kills_error_7);
	itest_add(s, "stack_growth_within_limit", stack_growth_within_limit);
	itest_add(s, "stack_past_rlimit_kills", stack_past_rlimit_kills);
	return itest_main(s);
}
