/*
 * mm_stack [KIB]: recursion that uses about KIB KiB of stack (default
 * 1024).  Within RLIMIT_STACK (8 MiB) it must succeed and the stack must
 * have grown (fault_stack_grow); past it, the process must be killed by
 * the fault just below the limit ("mm_stack: ok" never appears).
 */
#include <stdio.h>
#include <stdint.h>
#include <vmmtest.h>

#define FRAME_BYTES 1024
#define PAGE        4096UL
/* The kernel maps this much stack at exec; growth faults start below it. */
#define STACK_INITIAL (64 * 1024UL)

static uintptr_t deepest;	/* address of the deepest frame's buffer */

/* Each level uses a bit more than FRAME_BYTES; noinline and the use of
 * the array after the call keep it a real recursion. */
static __attribute__((noinline)) unsigned long recurse(unsigned long n)
{
	volatile char buf[FRAME_BYTES];

	buf[0] = (char)n;
	buf[FRAME_BYTES - 1] = (char)n;
	if (n == 0) {
		deepest = (uintptr_t)buf;
		return 0;
	}
	return recurse(n - 1) + (unsigned char)buf[0] +
	       (unsigned char)buf[FRAME_BYTES - 1] - 2 * (unsigned char)n;
}

int main(int argc, char **argv)
{
	unsigned long kib = vmm_arg_ul(argc, argv, 1, 1024);
	long g0, g1, want;
	unsigned long r, used;
	char top;

	g0 = vmm_stat_get("fault_stack_grow");
	printf("mm_stack: recursing %lu levels of %d bytes (%lu KiB)\n", kib,
	       FRAME_BYTES, kib);
	fflush(stdout);
	r = recurse(kib);
	g1 = vmm_stat_get("fault_stack_grow");
	used = (uintptr_t)&top - deepest;
	/* pages below the initial stack, less a page of rounding either end */
	want = used > STACK_INITIAL ? (long)((used - STACK_INITIAL) / PAGE) - 2 : 0;
	printf("mm_stack: returned %lu, %lu bytes of stack below main, "
	       "fault_stack_grow +%ld\n", r, used, g1 - g0);
	if (r != 0) {
		printf("mm_stack: FAIL: recursion returned %lu, expected 0 "
		       "(stack contents corrupted)\n", r);
		return 1;
	}
	if (g1 - g0 < want) {
		printf("mm_stack: FAIL: fault_stack_grow +%ld, expected at least %ld\n",
		       g1 - g0, want);
		return 1;
	}
	printf("mm_stack: ok: %lu KiB of stack\n", kib);
	return 0;
}
