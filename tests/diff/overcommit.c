/* overcommit: Linux's default heuristic refuses one private writable
 * request larger than all of RAM (ENOMEM), but not read-only or
 * MAP_NORESERVE ones, which cost nothing until touched. */
#include "diff.h"

int main(void)
{
	size_t huge = 1UL << 40;        /* 1 TiB: more than any test machine */
	char *p;

	show_mmap("private writable 1 TiB", NULL, huge, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show_mmap("shared anonymous 1 TiB", NULL, huge, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p = show_mmap("private read-only 1 TiB", NULL, huge, PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("reads zero at its end: %s\n", yes(p != MAP_FAILED &&
						   all_zero(p + huge - PG, PG)));
	p = show_mmap("private writable 1 TiB NORESERVE", NULL, huge,
		      PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p != MAP_FAILED) {
		p[0] = 1;
		p[huge - 1] = 2;
		printf("two pages written: %d %d\n", p[0], p[huge - 1]);
	}
	show_mmap("private writable 1 MiB", NULL, 1 << 20, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 0;
}
