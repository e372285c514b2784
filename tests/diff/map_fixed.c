/* map_fixed: MAP_FIXED over a mapping replaces it (fresh zero pages);
 * MAP_FIXED_NOREPLACE refuses with EEXIST and keeps the data. */
#include "diff.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

int main(void)
{
	char *p = show_mmap("mmap 4", NULL, 4 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *q;

	fill(p, 4 * PG, 6);
	q = show_mmap("mmap fixed-noreplace over page 1", p + PG, PG,
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("data kept: %s\n", yes(filled(p, 4 * PG, 6)));
	q = show_mmap("mmap fixed over page 1", p + PG, PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("at the address asked: %s\n", yes(q == p + PG));
	printf("page 1 fresh: %s\n", yes(all_zero(p + PG, PG)));
	printf("page 0 kept: %s\n", yes(filled(p, PG, 6)));
	show("munmap pages 2..3", munmap(p + 2 * PG, 2 * PG));
	q = show_mmap("mmap fixed-noreplace into the hole", p + 2 * PG, 2 * PG,
		      PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		      -1, 0);
	printf("at the address asked: %s, zero: %s\n", yes(q == p + 2 * PG),
	       yes(q != MAP_FAILED && all_zero(q, 2 * PG)));
	in_child("write the read-only page 2", probe_write, p + 2 * PG);
	return 0;
}
