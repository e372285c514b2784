/* mprotect_split: changing the middle of a mapping splits it in three;
 * changing it back merges behaviour again; each page obeys its own
 * protection, and munmap across the pieces takes them all. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap 5", NULL, 5 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	fill(p, 5 * PG, 60);
	show("mprotect pages 1..3 read-only", mprotect(p + PG, 3 * PG, PROT_READ));
	show("mprotect page 2 none", mprotect(p + 2 * PG, PG, PROT_NONE));
	for (int i = 0; i < 5; i++) {
		char what[32];

		snprintf(what, sizeof(what), "write page %d", i);
		in_child(what, probe_write, p + i * PG);
		snprintf(what, sizeof(what), "read page %d", i);
		in_child(what, probe_read, p + i * PG);
	}
	show("mprotect all read-write", mprotect(p, 5 * PG, PROT_READ | PROT_WRITE));
	printf("data intact: %s\n", yes(filled(p, 5 * PG, 60)));
	show("munmap pages 1..3", munmap(p + PG, 3 * PG));
	in_child("read page 2 after munmap", probe_read, p + 2 * PG);
	printf("page 4 intact: %s\n", yes(filled(p + 4 * PG, PG, 60 + 4 * PG / 64 * 7)));
	return 0;
}
