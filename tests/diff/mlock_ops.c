/* mlock_ops: mlock faults a range in (mincore shows it resident) and
 * breaks COW of a writable private mapping; munlock, mlock2 ONFAULT,
 * mlockall's errors (a successful mlockall depends on RLIMIT_MEMLOCK
 * and privileges on Linux: not compared). */
#include "diff.h"

int main(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[8];
	int r;

	show("mlock pages 0..3 (unaligned start)", mlock(p + 10, 4 * PG - 10));
	mincore(p, 8 * PG, vec);
	printf("resident:");
	for (int i = 0; i < 8; i++)
		printf(" %d", vec[i] & 1);
	printf("\nlocked pages read zero: %s\n", yes(all_zero(p, 4 * PG)));
	show("munlock", munlock(p, 4 * PG));
	munmap(p + 6 * PG, PG);
	show("mlock over a hole", mlock(p, 8 * PG));
	show("munlock over a hole", munlock(p, 8 * PG));
	r = mlockall(0);
	printf("mlockall(0): %d %s\n", r, errname(errno));
	show("munlockall", munlockall());
	return 0;
}
