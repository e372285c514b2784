/*
 * mm_profile.c: the memory manager's range operations on the simulated
 * machine (tests/unit/mm_sim.c), for a profile by function: the same
 * mm/ code as the guest's, built for the host, so that callgrind can say
 * where the instructions of an operation go (the guest kernel itself
 * has no profiler).  tests/bench/profile.sh runs it under callgrind.
 *
 *   mm_profile OP PAGES   OP: munmap, exit, fork, forkexit, mprotect
 *
 * Touches PAGES private pages, then does OP once between
 * profile_begin() and profile_end(), empty functions that callgrind's
 * --toggle-collect=profile_window keys on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/mm_sim.h"
#include "mm/mmap.h"

#define BASE 0x0000000040000000ULL

/* callgrind collects inside this call only */
__attribute__((noinline)) void profile_window(void (*fn)(void *), void *arg)
{
	fn(arg);
	__asm__ volatile("" ::: "memory");
}

struct job {
	struct mm *mm, *child;
	uint64_t len;
	const char *op;
};

static void do_op(void *arg)
{
	struct job *j = arg;

	if (!strcmp(j->op, "munmap")) {
		mm_munmap(j->mm, BASE, j->len);
	} else if (!strcmp(j->op, "mprotect")) {
		mm_mprotect(j->mm, BASE, j->len, MM_PROT_READ);
	} else if (!strcmp(j->op, "exit") || !strcmp(j->op, "forkexit")) {
		mm_destroy(j->child ? j->child : j->mm);
	} else if (!strcmp(j->op, "fork")) {
		j->child = mm_fork(j->mm);
	}
}

int main(int argc, char **argv)
{
	struct job j = { .op = argc > 1 ? argv[1] : "munmap" };
	uint64_t pages = argc > 2 ? strtoull(argv[2], NULL, 0) : 4096;

	j.len = pages * 4096;
	/* the guest's RAM in make bench (allocator limits scale with it) */
	sim_boot(j.len * 2 + (32ULL << 20) > (512ULL << 20) ?
		 j.len * 2 + (32ULL << 20) : 512ULL << 20, FRAME_CLEAR_FAULT);
	j.mm = mm_create();
	sim_cr3 = j.mm->root;
	if (mm_mmap(j.mm, BASE, j.len, MM_PROT_READ | MM_PROT_WRITE,
		    MM_MAP_PRIVATE | MM_MAP_ANONYMOUS | MM_MAP_FIXED) !=
	    (int64_t)BASE)
		return 2;
	for (uint64_t i = 0; i < pages; i++)
		if (sim_user_write8(j.mm, BASE + i * 4096, 1) != -1)
			return 2;
	if (!strcmp(j.op, "forkexit")) {
		j.child = mm_fork(j.mm);
		if (!j.child)
			return 2;
	}
	profile_window(do_op, &j);
	printf("mm_profile: %s of %lu pages done\n", j.op,
	       (unsigned long)pages);
	return 0;
}
