/* zero_read: untouched private anonymous memory reads as zero, every
 * page, and stays zero after a read-only pass (the shared zero page). */
#include "diff.h"

int main(void)
{
	size_t len = 64 * PG;
	char *p = show_mmap("mmap 64 pages", NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long sum = 0;

	for (size_t i = 0; i < len; i += PG)
		sum += (unsigned char)p[i];
	printf("first bytes sum %lu\n", sum);
	printf("all zero: %s\n", yes(all_zero(p, len)));
	p[5 * PG] = 7;
	printf("after one write, page 5 byte 0 = %d, page 6 zero: %s\n",
	       p[5 * PG], yes(all_zero(p + 6 * PG, PG)));
	show("munmap", munmap(p, len));
	return 0;
}
