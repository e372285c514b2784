/* populate: MAP_POPULATE maps the pages up front; the contents are the
 * same as without it (zero), and writes work. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap populate", NULL, 32 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	printf("zero: %s\n", yes(all_zero(p, 32 * PG)));
	fill(p, 32 * PG, 4);
	printf("written: %s\n", yes(filled(p, 32 * PG, 4)));
	p = show_mmap("mmap populate read-only", NULL, 4 * PG, PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	printf("zero: %s\n", yes(all_zero(p, 4 * PG)));
	in_child("write read-only populated", probe_write, p);
	return 0;
}
