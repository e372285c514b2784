/*
 * test_mm_pressure.c: exhaustion in a 16 MiB guest (mm_exhaust.c): a
 * process that touches more anonymous, heap, stack or shared anonymous
 * memory than there is is OOM-killed (the kernel's "out of memory:
 * killed" line, wait status SIGKILL) while its parent lives on; fork
 * fails with Linux's EAGAIN when the process slots run out, and with
 * ENOMEM when its page tables and reverse-map records do not fit (the
 * parent's pages intact); a region copy that does not fit fails with
 * ENOMEM leaving the destination exactly as it was, and lands whole once
 * memory is back; execve of an image larger than RAM fails with ENOMEM
 * and the caller goes on.  The kernel never panics, every frame comes
 * back, the auditor stays clean.
 */
#include "test_mm_common.h"

/* Slow on hosts that emulate the kernel (about 16 s with kvm_pvm). */
#define PRESSURE_LIMIT_S 150.0

START_TEST(every_exhaustion_path_ends_cleanly)
{
	static const char *const lines[] = {
		"mm_exhaust: anon: signal 9",
		"mm_exhaust: brk: signal 9",
		"mm_exhaust: stack: signal 9",
		"mm_exhaust: shared: signal 9",
		"mm_exhaust: fork: exit 5",
		"mm_exhaust: forkmem: exit 8",
		"mm_exhaust: region: exit 9",
		"mm_exhaust: exec: exit 10",
		"mm_exhaust: done",
	};
	const char *const args[] = { "-m", "16M", "-t", "120", "-c",
				     "run=mm_exhaust", KERNEL_PATH,
				     PROG("mm_exhaust"), PROG("bigbss"), NULL };
	struct vm_result r;
	uint64_t violations = 1;
	int kills = 0;

	vm_runv(&r, &(struct vm_opts){ .hard_limit = PRESSURE_LIMIT_S }, args);
	vm_check_exit(&r, 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		vm_check_out_line(&r, lines[i]);
	for (const char *p = r.klog; (p = strstr(p, "out of memory: killed mm_exhaust[")); p++)
		kills++;
	vm_check(&r, kills >= 4, "%d OOM kill lines, expected one per "
		 "exhausting child (4)", kills);
	vm_check(&r, vm_json_number(&r, "violations", &violations) &&
		     violations == 0, "audit violations %llu, expected 0",
		 (unsigned long long)violations);
	mm_check_run(&r, 0);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_mm_pressure");

	itest_add_slow(s, "every_exhaustion_path_ends_cleanly",
		       every_exhaustion_path_ends_cleanly,
		       (int)PRESSURE_LIMIT_S + 30);
	return itest_main(s);
}
