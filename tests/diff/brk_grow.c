/* brk_grow: sbrk grows the heap with zero pages, shrinking drops them,
 * growing again gives zero pages, not the old data. */
#include "diff.h"

int main(void)
{
	char *base, *p;
	long got;

	/* stdio's first output may allocate (glibc's buffer comes from
	 * malloc, and so the break): have it happen before we look */
	printf("brk_grow\n");
	fflush(stdout);
	base = sbrk(0);

	p = sbrk(16 * PG);
	printf("sbrk +16 pages: %s\n", yes(p == base));
	printf("new heap zero: %s\n", yes(all_zero(p, 16 * PG)));
	fill(p, 16 * PG, 77);
	printf("written: %s\n", yes(filled(p, 16 * PG, 77)));
	got = (long)((char *)sbrk(0) - base);
	printf("break moved by %ld\n", got);
	sbrk(-8 * (long)PG);
	printf("break after shrink: +%ld\n", (long)((char *)sbrk(0) - base));
	in_child("read above the shrunk break",
		 probe_read, (char *)base + 12 * PG);
	sbrk(8 * (long)PG);
	printf("low half kept: %s\n", yes(filled(p, 8 * PG, 77)));
	printf("regrown half zero: %s\n", yes(all_zero(p + 8 * PG, 8 * PG)));
	sbrk(-16 * (long)PG);
	return 0;
}
