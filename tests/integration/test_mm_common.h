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
 * The console has "kernel: frames free: N at start, M at exit" with
 * N == M and no " (LEAK)": every frame the run used came back.
 */
static inline void mm_check_no_leak(struct vm_result *r)
{
	char line[256] = "";
	unsigned long start = 0, end = 0;

	vm_check(r, vm_match(r->out, "^kernel: frames free: [0-9]+ at start, "
			     "[0-9]+ at exit", line, sizeof(line)) >= 0,
		 "no \"kernel: frames free: N at start, M at exit\" line");
	vm_check(r, sscanf(line, "kernel: frames free: %lu at start, %lu at exit",
			   &start, &end) == 2, "cannot parse \"%s\"", line);
	vm_check(r, start == end && !strstr(line, "LEAK"),
		 "frames free %lu at exit, expected %lu as at start (\"%s\")",
		 end, start, line);
}

struct mm_segv {
	int pid;
	unsigned long addr, ip, sp, err;
};

/*
 * Find "NAME[PID]: segfault at ADDR ip IP sp SP error E" for program name
 * and parse it into *s; fails the test when there is none.
 */
static inline void mm_get_segv(struct vm_result *r, const char *name,
			       struct mm_segv *s)
{
	char re[128], fmt[128], line[256] = "";

	snprintf(re, sizeof(re), "^%s\\[[0-9]+\\]: segfault at [0-9a-f]+ ip "
		 "[0-9a-f]{16} sp [0-9a-f]+ error [0-9a-f]+$", name);
	vm_check(r, vm_match(r->out, re, line, sizeof(line)) >= 0,
		 "no line matching /%s/ on the console", re);
	snprintf(fmt, sizeof(fmt), "%s[%%d]: segfault at %%lx ip %%lx sp %%lx "
		 "error %%lx", name);
	vm_check(r, sscanf(line, fmt, &s->pid, &s->addr, &s->ip, &s->sp,
			   &s->err) == 5, "cannot parse \"%s\"", line);
}

/* The value printed after prefix on the console (hex with 0x, or decimal). */
static inline unsigned long mm_out_ul(struct vm_result *r, const char *prefix)
{
	long at = vm_find(r->out, prefix);

	vm_check(r, at >= 0, "guest console lacks \"%s\"", prefix);
	return strtoul(r->out + at + strlen(prefix), NULL, 0);
}

#endif /* TEST_MM_COMMON_H */
