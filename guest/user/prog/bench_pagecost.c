/*
 * bench_pagecost ROUTINE [N]: N (default 4096) runs of one kernel's page
 * clear or page copy routine, in user space, on two pages already
 * mapped, between marks 16 and 17.  side_by_side.sh subtracts these
 * figures from the demand-zero and COW-copy faults to give their cost
 * "without the clear" and "without the copy": the data movement costs
 * what the CPU makes it cost (under QEMU's -icount a rep string
 * instruction counts once per iteration), whatever the kernel around it.
 * Built for Linux only (tests/build.mk, LINUX_BENCH): user-space
 * instructions count the same on either kernel.
 *
 * ROUTINE, the instruction sequences of each kernel:
 *   stosq   rep stosq, 512 x 8 bytes: our clear (guest/mmenv.c), and
 *           Linux's clear_page_rep (X86_FEATURE_REP_GOOD, no ERMS)
 *   stosb   rep stosb, 4096 x 1 byte: Linux's clear_page_erms (ERMS)
 *   movsq   rep movsq, 512 x 8 bytes: our copy, and Linux's copy_page
 *           with X86_FEATURE_REP_GOOD
 *   regs    64 bytes per loop, eight loads then eight stores (20
 *           instructions per 64 bytes): close to Linux's copy_page_regs
 *           (no REP_GOOD), which adds prefetches; an approximation
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <vmmtest.h>

#define PAGE 4096UL

static uint64_t src[PAGE / 8] __attribute__((aligned(4096)));
static uint64_t dst[PAGE / 8] __attribute__((aligned(4096)));

static void run_stosq(void)
{
	void *d = dst;
	unsigned long n = PAGE / 8;

	__asm__ volatile("rep stosq" : "+D"(d), "+c"(n) : "a"(0UL) : "memory");
}

static void run_stosb(void)
{
	void *d = dst;
	unsigned long n = PAGE;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(0UL) : "memory");
}

static void run_movsq(void)
{
	void *d = dst, *s = src;
	unsigned long n = PAGE / 8;

	__asm__ volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
}

static void run_regs(void)
{
	void *d = dst, *s = src;
	unsigned long n = PAGE / 64;

	__asm__ volatile(
		"1:\n\t"
		"movq 0(%1), %%rax\n\tmovq 8(%1), %%rbx\n\t"
		"movq 16(%1), %%rdx\n\tmovq 24(%1), %%r8\n\t"
		"movq 32(%1), %%r9\n\tmovq 40(%1), %%r10\n\t"
		"movq 48(%1), %%r11\n\tmovq 56(%1), %%r12\n\t"
		"movq %%rax, 0(%0)\n\tmovq %%rbx, 8(%0)\n\t"
		"movq %%rdx, 16(%0)\n\tmovq %%r8, 24(%0)\n\t"
		"movq %%r9, 32(%0)\n\tmovq %%r10, 40(%0)\n\t"
		"movq %%r11, 48(%0)\n\tmovq %%r12, 56(%0)\n\t"
		"leaq 64(%1), %1\n\tleaq 64(%0), %0\n\t"
		"decq %2\n\tjnz 1b"
		: "+r"(d), "+r"(s), "+r"(n)
		: : "rax", "rbx", "rdx", "r8", "r9", "r10", "r11", "r12",
		    "memory", "cc");
}

static const struct {
	const char *name;
	void (*run)(void);
} routines[] = {
	{ "stosq", run_stosq }, { "stosb", run_stosb },
	{ "movsq", run_movsq }, { "regs", run_regs },
};

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "";
	unsigned long n = vmm_arg_ul(argc, argv, 2, 4096);
	void (*run)(void) = NULL;

	for (unsigned i = 0; i < sizeof(routines) / sizeof(routines[0]); i++)
		if (!strcmp(name, routines[i].name))
			run = routines[i].run;
	if (!run) {
		fprintf(stderr, "bench_pagecost: %s: expected stosq, stosb, "
			"movsq or regs\n", name);
		return 64;
	}
	run();                  /* both pages mapped before the window */
	src[0] = dst[0];
	vmm_mark_calibrate();
	vmm_mark(16);
	for (unsigned long i = 0; i < n; i++)
		run();
	vmm_mark(17);
	printf("bench_pagecost: %s x %lu\n", name, n);
	return 0;
}
