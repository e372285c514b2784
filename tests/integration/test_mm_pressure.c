/*
 * test_mm_pressure.c: exhaustion in a 16 MiB guest.  mm_forkmax forks
 * until fork fails; the failure must be Linux's EAGAIN (no process slot)
 * or ENOMEM, reported by the program (forkmax.errno).  With children that
 * touch more than RAM holds between them, the kernel must OOM-kill some
 * (its "out of memory: killed" line) rather than panic.  Either way every
 * frame comes back (the kernel's free counts) and the auditor is clean.
 */
#include "test_mm_common.h"

static void check_forkmax(struct vm_result *r)
{
	uint64_t err = vm_report_get(r, "forkmax.errno");
	uint64_t violations = 1;

	vm_check(r, err == 11 || err == 12, "fork failed with errno %llu, "
		 "expected EAGAIN (11) or ENOMEM (12)",
		 (unsigned long long)err);
	vm_check(r, vm_report_get(r, "forkmax.children") > 0,
		 "no child was forked at all");
	vm_check(r, vm_json_number(r, "violations", &violations) &&
		     violations == 0, "audit violations %llu, expected 0",
		 (unsigned long long)violations);
	mm_check_run(r, 0);
}

/* Small children: the process table runs out first. */
START_TEST(fork_until_no_slot)
{
	struct vm_result r;

	vm_boot(&r, "-m", "16M", KERNEL_PATH, PROG("mm_forkmax"), "--", "16",
		"500", NULL);
	check_forkmax(&r);
	vm_result_free(&r);
}
END_TEST

/* Children that need more memory than there is, all alive together:
 * some are OOM-killed, the parent still sees a clean fork failure. */
START_TEST(fork_past_memory_ooms_children)
{
	struct vm_result r;

	vm_boot(&r, "-m", "16M", "-t", "120", KERNEL_PATH, PROG("mm_forkmax"),
		"--", "200", "5000", NULL);
	check_forkmax(&r);
	vm_check_out_has(&r, "kernel: out of memory: killed mm_forkmax[");
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_mm_pressure");

	itest_add(s, "fork_until_no_slot", fork_until_no_slot);
	itest_add(s, "fork_past_memory_ooms_children",
		  fork_past_memory_ooms_children);
	return itest_main(s);
}
