/*
 * mm_munmap_hole [PAGES]: munmap of a middle range splits the mapping.
 * Maps PAGES pages (default 8, at least 4), writes each, unmaps pages
 * [PAGES/4, PAGES/2), checks both remaining sides keep their contents,
 * then reads the first page of the hole, which must kill the process:
 * "mm_munmap_hole: ok" must never appear; the test expects the segfault
 * line for the printed hole address and status 139.
 */
#include <stdio.h>
#include <stdint.h>
#include <sys/mman.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 8), bad = 0;
	unsigned long lo, hi;
	volatile uint64_t *p;
	char *base;

	if (pages < 4)
		pages = 4;
	lo = pages / 4;
	hi = pages / 2;
	base = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		printf("mm_munmap_hole: FAIL: mmap failed\n");
		return 1;
	}
	p = (volatile uint64_t *)base;
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = 0x484f4c4500000000ULL | i;
	if (munmap(base + lo * PAGE, (hi - lo) * PAGE) < 0) {
		printf("mm_munmap_hole: FAIL: munmap pages %lu..%lu failed\n",
		       lo, hi - 1);
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++) {
		if (i >= lo && i < hi)
			continue;
		if (p[i * PAGE / 8] != (0x484f4c4500000000ULL | i)) {
			printf("mm_munmap_hole: FAIL: page %lu holds %#lx, expected %#lx\n",
			       i, (unsigned long)p[i * PAGE / 8],
			       (unsigned long)(0x484f4c4500000000ULL | i));
			bad++;
		}
		p[i * PAGE / 8 + 1] = i;	/* still writable */
	}
	if (bad)
		return 1;
	printf("mm_munmap_hole: both sides intact (pages 0..%lu and %lu..%lu)\n",
	       lo - 1, hi, pages - 1);
	printf("mm_munmap_hole: touching hole at %#lx\n",
	       (unsigned long)(base + lo * PAGE));
	fflush(stdout);
	uint64_t v = *(volatile uint64_t *)(base + lo * PAGE);
	printf("mm_munmap_hole: FAIL: read %#lx from the hole, expected a kill\n",
	       (unsigned long)v);
	return 1;
}
