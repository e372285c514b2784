/*
 * test_sched.c: programs run one after another by default; with
 * sched=parallel they run at once under the preemptive round-robin
 * scheduler.  Two preempt instances print "preempt PID: start" and then
 * "preempt PID: tick N" (N = 1..5) with busy loops in between, never
 * yielding: only the timer can interleave them.
 *
 * Two instances of one file come from run=preempt,preempt: the boot image
 * holds each file name once.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

#define MAX_PIDS 4
#define TICKS    5

struct preempt_run {
	int  pid;
	long start;           /* console offset of "start", -1 if absent */
	long tick[TICKS + 1]; /* console offset of "tick N", -1 if absent */
};

/* Collect the preempt lines by pid, in order of first appearance. */
static int parse_preempt(const char *out, struct preempt_run *runs)
{
	const char *p = out;
	int n = 0, i;

	while ((p = strstr(p, "preempt ")) != NULL) {
		int pid, tick, used = 0;
		struct preempt_run *pr = NULL;
		char word[8] = "";

		if (sscanf(p, "preempt %d: %7[a-z]%n", &pid, word, &used) < 2) {
			p += 8;
			continue;
		}
		for (i = 0; i < n; i++)
			if (runs[i].pid == pid)
				pr = &runs[i];
		if (!pr && n < MAX_PIDS) {
			pr = &runs[n++];
			memset(pr, 0xff, sizeof(*pr)); /* every offset -1 */
			pr->pid = pid;
		}
		if (pr && strcmp(word, "start") == 0 && pr->start < 0)
			pr->start = p - out;
		if (pr && strcmp(word, "tick") == 0 &&
		    sscanf(p + used, " %d", &tick) == 1 && tick >= 1 &&
		    tick <= TICKS && pr->tick[tick] < 0)
			pr->tick[tick] = p - out;
		p += used;
	}
	return n;
}

/* Both instances ran to completion: start and ticks 1..5, in order. */
static void check_complete(struct vm_result *r, struct preempt_run *runs,
			   int n)
{
	int i, t;

	vm_check(r, n == 2, "saw %d preempt pids on the console, expected 2", n);
	vm_check(r, runs[0].pid != runs[1].pid,
		 "both instances report pid %d, expected distinct pids",
		 runs[0].pid);
	for (i = 0; i < n; i++) {
		vm_check(r, runs[i].start >= 0, "preempt %d never printed start",
			 runs[i].pid);
		for (t = 1; t <= TICKS; t++) {
			long prev = t == 1 ? runs[i].start : runs[i].tick[t - 1];

			vm_check(r, runs[i].tick[t] > prev,
				 "preempt %d: tick %d missing or out of order",
				 runs[i].pid, t);
		}
	}
}

START_TEST(parallel_interleaves)
{
	struct vm_result r;
	struct preempt_run runs[MAX_PIDS];
	long last_start, first_end;
	int n;

	vm_boot(&r, "-c", "sched=parallel", "-c", "run=preempt,preempt",
		KERNEL_PATH, PROG("preempt"), NULL);
	vm_check_exit(&r, 0);
	n = parse_preempt(r.out, runs);
	check_complete(&r, runs, n);
	last_start = runs[0].start > runs[1].start ? runs[0].start : runs[1].start;
	first_end = runs[0].tick[TICKS] < runs[1].tick[TICKS] ?
		    runs[0].tick[TICKS] : runs[1].tick[TICKS];
	vm_check(&r, last_start < first_end,
		 "with sched=parallel, a \"tick %d\" (offset %ld) came before "
		 "both instances started (last start at %ld): no preemption",
		 TICKS, first_end, last_start);
	vm_result_free(&r);
}
END_TEST

START_TEST(serial_does_not_interleave)
{
	struct vm_result r;
	struct preempt_run runs[MAX_PIDS];
	int n;

	vm_boot(&r, "-c", "run=preempt,preempt", KERNEL_PATH, PROG("preempt"),
		NULL);
	vm_check_exit(&r, 0);
	n = parse_preempt(r.out, runs);
	check_complete(&r, runs, n);
	vm_check(&r, runs[0].tick[TICKS] < runs[1].start,
		 "in the default serial mode preempt %d started (offset %ld) "
		 "before preempt %d finished (tick %d at %ld)", runs[1].pid,
		 runs[1].start, runs[0].pid, TICKS, runs[0].tick[TICKS]);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_sched");

	itest_add(s, "parallel_interleaves", parallel_interleaves);
	itest_add(s, "serial_does_not_interleave", serial_does_not_interleave);
	return itest_main(s);
}
