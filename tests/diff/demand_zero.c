/* demand_zero: writes to fresh pages land, each page its own, and a
 * second mapping's pages are zero again (no stale data). */
#include "diff.h"

int main(void)
{
	size_t len = 32 * PG;
	char *p = show_mmap("mmap", NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	fill(p, len, 3);
	printf("pattern kept: %s\n", yes(filled(p, len, 3)));
	show("munmap", munmap(p, len));
	q = show_mmap("mmap again", NULL, len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("fresh mapping all zero: %s\n", yes(all_zero(q, len)));
	return 0;
}
