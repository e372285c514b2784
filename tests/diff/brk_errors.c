/* brk_errors: the raw brk system call: it returns the new break, or the
 * old one when the move is refused (below the start, too far up, into a
 * mapping); an unaligned break is kept as asked. */
#include "diff.h"
#include <sys/syscall.h>

static long brk_at(long start, long off)
{
	return syscall(SYS_brk, start + off) - start;
}

int main(void)
{
	long start;
	char *m;

	printf("brk_errors\n");
	fflush(stdout);
	start = syscall(SYS_brk, 0);
	printf("below the start: break at +%ld\n", brk_at(start, -(1L << 40)));
	printf("grow 4 pages: +%ld\n", brk_at(start, 4 * (long)PG));
	printf("grow by 64 TiB: +%ld\n", brk_at(start, 1L << 46));
	printf("unaligned: +%ld\n", brk_at(start, 4 * (long)PG + 100));
	printf("written at the top byte: %s\n",
	       yes((((char *)start)[4 * PG + 99] = 1) == 1));
	m = mmap((char *)start + 16 * PG, PG, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("mapping above the heap: %s\n", yes(m != MAP_FAILED));
	printf("grow into it: +%ld\n", brk_at(start, 20 * (long)PG));
	printf("grow up to it: +%ld\n", brk_at(start, 16 * (long)PG));
	printf("shrink to 1 page: +%ld\n", brk_at(start, (long)PG));
	return 0;
}
