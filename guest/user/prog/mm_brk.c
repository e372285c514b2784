/*
 * mm_brk [PAGES]: the heap keeps its contents across brk grow and shrink.
 * sbrk up PAGES pages (default 16, from a page-aligned break), fill them
 * with tags, sbrk down by half: the remaining half is intact; sbrk up
 * again: the new half reads zero.  Exits 1 on failure.
 */
#include <stdio.h>
#include <stdint.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16), keep, nz = 0;
	char *cur, *base;
	size_t bad;

	if (pages < 2)
		pages = 2;
	keep = pages / 2;
	cur = sbrk(0);
	if (cur == (void *)-1) {
		printf("mm_brk: FAIL: sbrk(0) failed\n");
		return 1;
	}
	/* start at a page boundary so whole pages come and go */
	if (sbrk((long)(-(uintptr_t)cur & (PAGE - 1))) == (void *)-1) {
		printf("mm_brk: FAIL: sbrk to a page boundary failed\n");
		return 1;
	}
	base = sbrk((long)(pages * PAGE));
	if (base == (void *)-1 || (uintptr_t)base & (PAGE - 1)) {
		printf("mm_brk: FAIL: sbrk(+%lu pages) gave %p\n", pages, base);
		return 1;
	}
	tag_fill(base, pages * PAGE, 0);
	if (sbrk(-(long)((pages - keep) * PAGE)) == (void *)-1) {
		printf("mm_brk: FAIL: sbrk(-%lu pages) failed\n", pages - keep);
		return 1;
	}
	if ((char *)sbrk(0) != base + keep * PAGE) {
		printf("mm_brk: FAIL: break %p after shrink, expected %p\n",
		       sbrk(0), base + keep * PAGE);
		return 1;
	}
	bad = tag_check(base, keep * PAGE, getpid(), 0);
	if (bad) {
		printf("mm_brk: FAIL: %zu words of the kept %lu pages changed, "
		       "expected 0\n", bad, keep);
		return 1;
	}
	if (sbrk((long)((pages - keep) * PAGE)) == (void *)-1) {
		printf("mm_brk: FAIL: sbrk(+%lu pages) after shrink failed\n",
		       pages - keep);
		return 1;
	}
	for (unsigned long i = keep * PAGE / 8; i < pages * PAGE / 8; i++)
		if (((volatile uint64_t *)base)[i])
			nz++;
	bad = tag_check(base, keep * PAGE, getpid(), 0);
	printf("mm_brk: kept %lu pages: %zu words changed; regrown %lu pages: "
	       "%lu nonzero words\n", keep, bad, pages - keep, nz);
	if (nz || bad) {
		printf("mm_brk: FAIL: expected 0 changed and 0 nonzero words\n");
		return 1;
	}
	printf("mm_brk: ok: grow %lu, shrink %lu, grow %lu pages\n", pages,
	       pages - keep, pages - keep);
	return 0;
}
