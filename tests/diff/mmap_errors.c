/* mmap_errors: Linux's errno for bad mmap, munmap and mprotect calls. */
#include "diff.h"

int main(void)
{
	char *p;

	show_mmap("mmap len 0", NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show_mmap("mmap no type", NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0);
	show_mmap("mmap fixed unaligned", (void *)0x10000001, PG, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	show_mmap("mmap bad fd", NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0);
	show_mmap("mmap huge", NULL, 1UL << 62, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show_mmap("mmap file unaligned offset", NULL, PG, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
	p = show_mmap("mmap 4 pages", NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("munmap unaligned", munmap(p + 1, PG));
	show("munmap len 0", munmap(p, 0));
	show("munmap partial page len", munmap(p + 3 * PG, 100));
	show("munmap again (nothing there)", munmap(p + 3 * PG, PG));
	show("mprotect unaligned", mprotect(p + 1, PG, PROT_READ));
	show("mprotect len 0", mprotect(p, 0, PROT_READ));
	show("mprotect bad prot", mprotect(p, PG, 0x100));
	show("mprotect over the hole", mprotect(p, 4 * PG, PROT_READ));
	show("mprotect first 3", mprotect(p, 3 * PG, PROT_READ));
	show("munmap all", munmap(p, 4 * PG));
	show("mprotect unmapped", mprotect(p, PG, PROT_READ));
	return 0;
}
