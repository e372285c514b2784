/* mprotect_edges: PROT_READ refuses writes, PROT_NONE refuses reads,
 * data survives each change, and only the pages named change. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap 4", NULL, 4 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	fill(p, 4 * PG, 9);
	show("mprotect page 1 read-only", mprotect(p + PG, PG, PROT_READ));
	in_child("write page 0", probe_write, p);
	in_child("write page 1", probe_write, p + PG);
	in_child("read page 1", probe_read, p + PG);
	in_child("write page 2", probe_write, p + 2 * PG);
	show("mprotect page 2 none", mprotect(p + 2 * PG, PG, PROT_NONE));
	in_child("read page 2", probe_read, p + 2 * PG);
	show("mprotect all read-write", mprotect(p, 4 * PG, PROT_READ | PROT_WRITE));
	printf("data intact: %s\n", yes(filled(p, 4 * PG, 9)));
	in_child("write page 2 again", probe_write, p + 2 * PG);
	show("mprotect untouched page none", mprotect(p + 3 * PG, PG, PROT_NONE));
	in_child("read untouched none page", probe_read, p + 3 * PG);
	return 0;
}
