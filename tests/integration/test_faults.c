/*
 * test_faults.c: a user program that touches an unmapped address is killed
 * with a Linux-style report line, and the kernel carries on with the next
 * program; a program killed by SIGSEGV gives status 128 + 11.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "segv[PID]: segfault at dead000 ip <16 hex> sp <hex> error <n>" */
#define SEGV_LINE_RE                                                       \
	"segv\\[[0-9]+\\]: segfault at dead000 ip [0-9a-f]{16} "            \
	"sp [0-9a-f]+ error [0-9a-f]+"

START_TEST(segv_killed_with_report_line)
{
	struct vm_result r;
	char line[256] = "";
	unsigned long ip, sp, err;
	const char *p;

	vm_boot(&r, KERNEL_PATH, PROG("segv"), NULL);
	vm_check_out_has(&r, "segv: touching 0xdead000");
	vm_check_out_lacks(&r, "segv: still alive");
	vm_check(&r, vm_match(r.klog, SEGV_LINE_RE, line, sizeof(line)) >= 0,
		 "no line matching /%s/ on the console", SEGV_LINE_RE);
	p = strstr(line, " ip ");
	ip = strtoul(p + 4, NULL, 16);
	sp = strtoul(strstr(line, " sp ") + 4, NULL, 16);
	err = strtoul(strstr(line, " error ") + 7, NULL, 16);
	vm_check(&r, ip >= 0x400000 && ip < 0x800000000000UL,
		 "report ip %#lx, expected a user text address (>= 0x400000)",
		 ip);
	vm_check(&r, sp >= 0x7f0000000000UL && sp < 0x800000000000UL,
		 "report sp %#lx, expected a user stack address near 0x7ffffffff000",
		 sp);
	/* x86 #PF error code: not present (bit 0 clear), from user mode (bit 2). */
	vm_check(&r, (err & 4) && !(err & 1),
		 "report error %lx, expected user-mode not-present (4 or 6)", err);
	vm_result_free(&r);
}
END_TEST

START_TEST(segv_alone_exits_139)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("segv"), NULL);
	vm_check_exit(&r, 128 + 11);
	vm_result_free(&r);
}
END_TEST

START_TEST(next_program_runs_after_segv)
{
	struct vm_result r;
	long seg, hello;

	/* one console keeps the kernel's line and the program's in order */
	vm_boot(&r, "--console", "merged", KERNEL_PATH, PROG("segv"),
		PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	seg = vm_match(r.out, "^kernel: " SEGV_LINE_RE, NULL, 0);
	hello = vm_find(r.out, "hello from ring 3");
	vm_check(&r, seg >= 0, "no segfault report line for segv");
	vm_check(&r, hello > seg,
		 "hello output at offset %ld, expected after the segfault line "
		 "at offset %ld", hello, seg);
	vm_check_out_lacks(&r, "segv: still alive");
	vm_result_free(&r);
}
END_TEST

/* Hostile signal frames (sig_hostile.c): each case ends its child with
 * SIGSEGV or, where the kernel sanitizes, exits 0; never a panic. */
START_TEST(hostile_signal_frames_end_cleanly)
{
	static const char *const lines[] = {
		"sig_hostile: sigreturn_unmapped: signal 11",
		"sig_hostile: sigreturn_garbage: signal 11",
		"sig_hostile: deliver_on_bad_stack: signal 11",
		"sig_hostile: altstack_unmapped: signal 11",
		"sig_hostile: bad_fpstate: signal 11",
		"sig_hostile: wild_bits: exit 0",
		"sig_hostile: done",
	};
	struct vm_result r;
	uint64_t start, end;

	vm_boot(&r, KERNEL_PATH, PROG("sig_hostile"), NULL);
	vm_check_exit(&r, 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		vm_check_out_line(&r, lines[i]);
	vm_check(&r, vm_match(r.klog, "bad frame in rt_sigreturn", NULL, 0) >= 0 &&
		     vm_match(r.klog, "bad frame in signal delivery", NULL, 0) >= 0,
		 "the kernel log names neither kind of bad frame");
	start = vm_report_get(&r, "frames_free_start");
	end = vm_report_get(&r, "frames_free_exit");
	vm_check(&r, start == end, "%llu frames free at start, %llu at exit",
		 (unsigned long long)start, (unsigned long long)end);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_faults");

	itest_add(s, "segv_killed_with_report_line",
		  segv_killed_with_report_line);
	itest_add(s, "segv_alone_exits_139", segv_alone_exits_139);
	itest_add(s, "next_program_runs_after_segv",
		  next_program_runs_after_segv);
	itest_add(s, "hostile_signal_frames_end_cleanly",
		  hostile_signal_frames_end_cleanly);
	return itest_main(s);
}
