/* map_fixed_noreplace: the intent of Linux's selftest of the same name:
 * a NOREPLACE mapping succeeds in a free range, and fails with EEXIST
 * when it overlaps an existing mapping at its start, its end, inside
 * it, or around it; nothing changes on failure. */
#include "diff.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static char *base;

static void try(const char *what, long first, long pages)
{
	char *want = base + first * (long)PG;
	char *p = mmap(want, (size_t)pages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		printf("%s: MAP_FAILED %s\n", what, errname(errno));
	else
		printf("%s: at the address %s\n", what, yes(p == want));
	errno = 0;
}

int main(void)
{
	/* reserve 16 pages, keep pages 4..8 mapped in the middle */
	base = mmap(NULL, 16 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(base, 16 * PG);
	try("pages 4..8 in a free range", 4, 5);
	fill(base + 4 * PG, 5 * PG, 44);
	try("exactly over it", 4, 5);
	try("over its first page", 3, 2);
	try("over its last page", 8, 2);
	try("inside it", 5, 2);
	try("around it", 2, 10);
	try("just before it", 2, 2);
	try("just after it", 9, 2);
	printf("data untouched: %s\n", yes(filled(base + 4 * PG, 5 * PG, 44)));
	return 0;
}
