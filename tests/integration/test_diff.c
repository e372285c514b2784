/*
 * test_diff.c: the differential suite.  Every program in tests/diff/ was
 * built twice from one source (tests/diff/build.mk): for Linux with the
 * host's gcc and glibc, and for the guest.  Each test runs both, here
 * and now (on this machine's Linux, or the nested host's when there is
 * no /dev/kvm: the same kernel the VM runs on), and requires:
 *   - the same standard output, line for line (Linux is the oracle; the
 *     first differing line is named);
 *   - the same exit status (a death by signal S counts as 128 + S, which
 *     is what the VMM exits with when its last program died of it);
 *   - a clean audit of the guest's run.
 * Some programs also run under the other clearing policies (clear=free,
 * clear=idle), and the system-call fuzzer (fuzz_mm.c) under the strict
 * auditor: Linux's output is the oracle for those too.
 * Programs normalize what may legitimately differ (addresses, PFNs)
 * themselves; nothing is filtered here.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DIFF_PROGS
#error "DIFF_PROGS must list the programs (tests/diff/build.mk)"
#endif

#define DIFF_MAX 128

static char diff_names_buf[] = DIFF_PROGS;
static const char *diff_names[DIFF_MAX];
static int diff_count;

static void diff_split(void)
{
	for (char *save, *w = strtok_r(diff_names_buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save))
		if (diff_count < DIFF_MAX)
			diff_names[diff_count++] = w;
}

/* 1-based number of the first line where a and b differ, 0 if none;
 * *la, *lb point at that line in each. */
static int first_difference(const char *a, const char *b, const char **la,
			    const char **lb)
{
	int line = 1;

	*la = a;
	*lb = b;
	for (; *a || *b; a++, b++) {
		if (*a != *b)
			return line;
		if (*a == '\n') {
			line++;
			*la = a + 1;
			*lb = b + 1;
		}
	}
	return 0;
}

/* The line at p, without its newline, in a static buffer. */
static const char *line_at(const char *p, char *buf, size_t cap)
{
	size_t n = strcspn(p, "\n");

	if (!*p)
		return "(end of output)";
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static int status_of(const struct vm_result *r)
{
	return r->exited ? r->code : 128 + r->signo;
}

/* Run program name on Linux and in the VM (with the kernel options in
 * cmdline, or none) and compare. */
static void compare(const char *name, const char *cmdline)
{
	char lpath[4096], gpath[4096], bl[256], bg[256];
	const char *const none[] = { NULL };
	struct vm_result lin, vm;
	const char *la, *lg;
	uint64_t violations = 0;
	int line;

	snprintf(lpath, sizeof(lpath), BUILD_DIR "/diff/linux/%s", name);
	snprintf(gpath, sizeof(gpath), BUILD_DIR "/diff/guest/%s", name);
	vm_runv(&lin, &(struct vm_opts){ .vmm = lpath }, none);
	vm_check(&lin, !lin.exec_errno && !lin.hung,
		 "%s: the Linux build did not run", name);
	if (cmdline)
		vm_boot(&vm, "-c", cmdline, KERNEL_PATH, gpath, NULL);
	else
		vm_boot(&vm, KERNEL_PATH, gpath, NULL);

	line = first_difference(lin.out, vm.out, &la, &lg);
	vm_check(&vm, line == 0,
		 "%s: line %d differs from Linux's\n  linux: %s\n  ours:  %s\n"
		 "--- Linux's output ---\n%s", name, line,
		 line_at(la, bl, sizeof(bl)), line_at(lg, bg, sizeof(bg)),
		 lin.out);
	vm_check(&vm, status_of(&vm) == status_of(&lin),
		 "%s: exit status %d, Linux's %d", name, status_of(&vm),
		 status_of(&lin));
	vm_check(&vm, vm_json_number(&vm, "violations", &violations) &&
		     violations == 0, "%s: the audit found %llu violations",
		 name, (unsigned long long)violations);
	vm_result_free(&lin);
	vm_result_free(&vm);
}

START_TEST(same_as_linux)
{
	compare(diff_names[_i], NULL);
}
END_TEST

/*
 * Each clearing policy's visible effect is Linux's: fresh memory reads
 * zero however freed frames are cleared (at fault, at free, when idle).
 * The programs that write, free and map again, under the two policies
 * that are not the default.  These are the debug runs: freed frames are
 * poisoned (page_poison=1), so a mapping that outlives its frame or a
 * page handed out uncleared shows the pattern the auditor looks for.
 */
static const struct {
	const char *prog, *cmdline;
} policy_runs[] = {
	{ "demand_zero", "clear=free page_poison=1" },
	{ "demand_zero", "clear=idle page_poison=1" },
	{ "munmap_then_touch", "clear=free page_poison=1" },
	{ "munmap_then_touch", "clear=idle page_poison=1" },
	{ "brk_grow", "clear=free page_poison=1" },
	{ "brk_grow", "clear=idle page_poison=1" },
	{ "fork_cow", "clear=free page_poison=1" },
	{ "dontneed", "clear=idle page_poison=1" },
	{ "mremap_ops", "clear=free page_poison=1" },
	{ "proc_pagemap", "clear=idle page_poison=1" },
	/* the system-call fuzzer under the strict auditor (an audit after
	 * every fault), freed frames poisoned */
	{ "fuzz_mm", "checkpoint=fault page_poison=1" },
};

START_TEST(same_under_clear_policy)
{
	compare(policy_runs[_i].prog, policy_runs[_i].cmdline);
}
END_TEST

/* The fuzzer's shadow model catches a corrupted zero page: the kernel's
 * inject=zero_write puts 0x5a at offset 100 of it, which the fuzzer's
 * reads of untouched pages (never-written word at offset 96) must see:
 * mismatches reported, exit 1. */
START_TEST(fuzz_mm_catches_dirty_zero_page)
{
	struct vm_result vm;
	uint64_t n = 0;
	const char *at;

	vm_boot(&vm, "--audit", "off", "-c", "inject=zero_write", KERNEL_PATH,
		BUILD_DIR "/diff/guest/fuzz_mm", NULL);
	vm_check_klog_has(&vm, "INJECTED BUG: wrote 0x5a into the zero page");
	at = strstr(vm.out, " checks, ");
	vm_check(&vm, at && sscanf(at, " checks, %lu mismatches", &n) == 1 &&
		     n > 0, "fuzz_mm reported no mismatch with the zero page "
		     "dirty");
	vm_check_exit(&vm, 1);
	vm_result_free(&vm);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_diff");

	diff_split();
	itest_add_loop(s, "same_as_linux", same_as_linux, diff_count);
	itest_add_loop(s, "same_under_clear_policy", same_under_clear_policy,
		       (int)(sizeof(policy_runs) / sizeof(policy_runs[0])));
	itest_add(s, "fuzz_mm_catches_dirty_zero_page",
		  fuzz_mm_catches_dirty_zero_page);
	return itest_main(s);
}
