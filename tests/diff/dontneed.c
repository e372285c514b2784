/* dontneed: MADV_DONTNEED drops private anonymous pages (they read zero
 * afterwards) but not shared anonymous ones. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap private", NULL, 8 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = show_mmap("mmap shared", NULL, 8 * PG, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	fill(p, 8 * PG, 1);
	fill(s, 8 * PG, 2);
	show("madvise private pages 2..5 DONTNEED",
	     madvise(p + 2 * PG, 4 * PG, MADV_DONTNEED));
	printf("private pages 2..5 zero: %s\n", yes(all_zero(p + 2 * PG, 4 * PG)));
	printf("private pages 0..1 kept: %s\n", yes(filled(p, 2 * PG, 1)));
	show("madvise shared DONTNEED", madvise(s, 8 * PG, MADV_DONTNEED));
	printf("shared kept: %s\n", yes(filled(s, 8 * PG, 2)));
	show("madvise unaligned", madvise(p + 1, PG, MADV_DONTNEED));
	show("madvise bad advice", madvise(p, PG, 12345));
	show("munmap", munmap(p + 6 * PG, 2 * PG));
	show("madvise over a hole", madvise(p + 4 * PG, 4 * PG, MADV_DONTNEED));
	return 0;
}
