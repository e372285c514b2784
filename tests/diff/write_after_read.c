/* write_after_read: a page read first (zero page) then written gets its
 * own frame; the neighbours read first stay zero. */
#include "diff.h"

int main(void)
{
	size_t len = 8 * PG;
	volatile char *p = show_mmap("mmap", NULL, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int sum = 0;

	for (size_t i = 0; i < len; i += PG)
		sum += p[i];
	for (size_t i = 0; i < len; i += 2 * PG)
		p[i + 100] = (char)(i / PG + 1);
	printf("read sum %d\n", sum);
	for (size_t i = 0; i < len; i += PG)
		printf("page %zu byte 100 = %d\n", i / PG, p[i + 100]);
	return 0;
}
