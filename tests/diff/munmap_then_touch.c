/* munmap_then_touch: a page unmapped after being written, then mapped
 * again at the same place with MAP_FIXED, reads zero: no stale data. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap", NULL, 4 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	memset(p, 0x5a, 4 * PG);
	show("munmap", munmap(p, 4 * PG));
	q = show_mmap("mmap fixed at the same place", p, 4 * PG,
		      PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		      -1, 0);
	printf("same address: %s, zero: %s\n", yes(q == p), yes(all_zero(q, 4 * PG)));
	return 0;
}
