/*
 * audit_fresh [PAGES]: the second half of the auditor's negative control.
 * Maps PAGES pages (default 64) and writes one marker word at the start
 * of each (a demand-zero write fault per page), then exits 0 without
 * looking at anything else: whether the rest of each page is another
 * process's data is for the host auditor to find when this address space
 * is torn down (HC_AS_DESTROY, tables still intact).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE   4096UL
#define MARKER 0x4853455246545541ULL    /* "AUTFRESH" */

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 64);
	volatile uint64_t *p;

	p = vmm_map_anon("audit_fresh", pages * PAGE);
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = MARKER;
	printf("audit_fresh: pid %d wrote a marker in %lu pages\n", getpid(),
	       pages);
	/* _exit: under clear=none our own .bss may hold stale bytes too. */
	fflush(stdout);
	_exit(0);
}
