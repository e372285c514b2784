/* mmap_regions: many small mappings, unmapped in a scattered order; each
 * keeps its own data until it goes, and a freed range can be reused. */
#include "diff.h"

int main(void)
{
	char *m[16];
	int ok = 1;

	for (int i = 0; i < 16; i++) {
		m[i] = mmap(NULL, (size_t)(i % 4 + 1) * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m[i] == MAP_FAILED)
			ok = 0;
		else
			fill(m[i], (size_t)(i % 4 + 1) * PG, (unsigned)i);
	}
	printf("16 mappings: %s\n", yes(ok));
	for (int i = 0; i < 16; i += 3)
		munmap(m[i], (size_t)(i % 4 + 1) * PG);
	for (int i = 0; i < 16; i++)
		if (i % 3 && !filled(m[i], (size_t)(i % 4 + 1) * PG, (unsigned)i))
			ok = 0;
	printf("survivors intact: %s\n", yes(ok));
	for (int i = 0; i < 16; i += 3) {
		char *q = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q == MAP_FAILED || !all_zero(q, PG))
			ok = 0;
	}
	printf("new mappings zero: %s\n", yes(ok));
	return 0;
}
