/* madv_remove: MADV_REMOVE punches the pages of an in-memory file out
 * from under a shared writable mapping: they read zero in every mapping
 * of it; private and read-only mappings are refused. */
#include "diff.h"

int main(void)
{
	int fd = memfd_create("remove", 0), st;
	char *p, *q, *priv;

	ftruncate(fd, 4 * PG);
	p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	priv = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	fill(p, 4 * PG, 90);
	printf("second mapping sees the data: %s\n", yes(filled(q, 4 * PG, 90)));
	fflush(stdout);
	if (fork() == 0) {
		show("child: MADV_REMOVE pages 1..2", madvise(p + PG, 2 * PG,
							      MADV_REMOVE));
		fflush(stdout);
		_exit(0);
	}
	wait(&st);
	printf("pages 1..2 zero in the other mapping: %s\n",
	       yes(all_zero(q + PG, 2 * PG)));
	printf("pages 0 and 3 kept: %s\n", yes(filled(p, PG, 90) &&
					       filled(p + 3 * PG, PG, 90 + 3 * PG / 64 * 7)));
	show("MADV_REMOVE on the private mapping", madvise(priv, PG, MADV_REMOVE));
	show("MADV_REMOVE on anonymous private memory",
	     madvise(mmap(NULL, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), PG, MADV_REMOVE));
	mprotect(q, PG, PROT_READ);
	show("MADV_REMOVE on a read-only shared mapping", madvise(q, PG, MADV_REMOVE));
	return 0;
}
