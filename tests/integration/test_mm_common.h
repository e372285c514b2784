/*
 * test_mm_common.h: checks shared by the memory-manager integration tests
 * (test_mm_*.c): the kernel's frame-leak line and the segfault report.
 */
#ifndef TEST_MM_COMMON_H
#define TEST_MM_COMMON_H

#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 4096UL

/*
 * Every frame the run used came back: the kernel's reports
 * frames_free_start and frames_free_exit (sent to the host by hypercall,
 * read from the VMM's JSON report) are equal.
 */
static inline void mm_check_no_leak(struct vm_result *r)
{
	uint64_t start = vm_report_get(r, "frames_free_start");

	vm_check_report(r, "frames_free_exit", start);
}

/* The common ending: the run exited with want and leaked no frame. */
static inline void mm_check_run(struct vm_result *r, int want)
{
	vm_check_exit(r, want);
	mm_check_no_leak(r);
}

struct mm_segv {
	int pid;
	unsigned long addr, ip, sp, err;
};

/*
 * The last segfault: the kernel reports its pid, address, ip, sp and
 * error code (segfault.*); the kernel log carries Linux's line for program
 * name, "NAME[PID]: segfault at ADDR ip IP sp SP error E".
 */
static inline void mm_get_segv(struct vm_result *r, const char *name,
			       struct mm_segv *s)
{
	char line[160];

	s->pid = (int)vm_report_get(r, "segfault.pid");
	s->addr = vm_report_get(r, "segfault.addr");
	s->ip = vm_report_get(r, "segfault.ip");
	s->sp = vm_report_get(r, "segfault.sp");
	s->err = vm_report_get(r, "segfault.error");
	snprintf(line, sizeof(line), "%s[%d]: segfault at %lx ip %016lx sp "
		 "%016lx error %lx", name, s->pid, s->addr, s->ip, s->sp, s->err);
	vm_check_klog_line(r, line);
}

#endif /* TEST_MM_COMMON_H */
