/* msync_errors: msync's checks (a file's pages are the page cache
 * itself, so a valid msync has nothing to do and succeeds). */
#include "diff.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	int fd = open(argv[0], O_RDONLY);
	char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	char *a = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)argc;
	show("MS_SYNC on a file mapping", msync(f, 2 * PG, MS_SYNC));
	show("MS_ASYNC on anonymous memory", msync(a, 2 * PG, MS_ASYNC));
	show("MS_INVALIDATE", msync(a, PG, MS_INVALIDATE));
	show("unaligned", msync(a + 1, PG, MS_SYNC));
	show("MS_ASYNC|MS_SYNC", msync(a, PG, MS_ASYNC | MS_SYNC));
	show("unknown flag", msync(a, PG, 8));
	munmap(a + PG, PG);
	show("over a hole", msync(a, 2 * PG, MS_SYNC));
	show("length 0", msync(a, 0, MS_SYNC));
	return 0;
}
