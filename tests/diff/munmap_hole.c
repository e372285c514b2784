/* munmap_hole: unmapping the middle of a mapping leaves both sides
 * intact; a touch of the hole is a SIGSEGV. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap 8", NULL, 8 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	fill(p, 8 * PG, 5);
	show("munmap pages 2..3", munmap(p + 2 * PG, 2 * PG));
	printf("pages 0..1 intact: %s\n", yes(filled(p, 2 * PG, 5)));
	printf("pages 4..7 intact: %s\n",
	       yes(filled(p + 4 * PG, 4 * PG, 5 + 4 * PG / 64 * 7)));
	in_child("read page 2", probe_read, p + 2 * PG);
	in_child("write page 3", probe_write, p + 3 * PG);
	in_child("write page 4", probe_write, p + 4 * PG);
	show("munmap first page", munmap(p, PG));
	in_child("read page 0", probe_read, p);
	in_child("read page 1", probe_read, p + PG);
	show("munmap last page", munmap(p + 7 * PG, PG));
	in_child("read page 7", probe_read, p + 7 * PG);
	show("munmap whole range (holes ok)", munmap(p, 8 * PG));
	in_child("read page 5", probe_read, p + 5 * PG);
	return 0;
}
