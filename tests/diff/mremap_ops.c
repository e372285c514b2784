/* mremap_ops: the intent of Linux's mremap_test at small sizes: data
 * moves with the mapping (no copy lost), grow in place and by moving,
 * shrink, MREMAP_FIXED over an existing mapping, and the errors.
 * (A successful MREMAP_DONTUNMAP is not compared: Linux versions differ
 * on when they allow it.) */
#include "diff.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

int main(void)
{
	char *p = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q, *r, *blocker;

	fill(p, 8 * PG, 21);
	q = mremap(p, 8 * PG, 4 * PG, 0);
	printf("shrink in place: %s, data kept: %s\n", yes(q == p),
	       yes(filled(q, 4 * PG, 21)));
	in_child("read the dropped tail", probe_read, p + 5 * PG);
	q = mremap(p, 4 * PG, 6 * PG, 0);
	printf("grow in place (room after): %s\n", yes(q == p));
	printf("grown part zero: %s, data kept: %s\n",
	       yes(q != MAP_FAILED && all_zero(q + 4 * PG, 2 * PG)),
	       yes(filled(p, 4 * PG, 21)));
	blocker = mmap(p + 6 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED, -1, 0);
	errno = 0;
	q = mremap(p, 6 * PG, 16 * PG, 0);
	printf("grow without MAYMOVE into a mapping: %s %s\n",
	       q == MAP_FAILED ? "MAP_FAILED" : "ok", errname(errno));
	q = mremap(p, 6 * PG, 16 * PG, MREMAP_MAYMOVE);
	printf("grow with MAYMOVE: moved %s, data moved: %s, tail zero: %s\n",
	       yes(q != p), yes(filled(q, 4 * PG, 21)),
	       yes(all_zero(q + 6 * PG, 10 * PG)));
	in_child("read the old place", probe_read, p);
	fflush(stdout);
	if (fork() == 0) {
		/* COW pages move as COW: the child's write stays its own */
		q[0] = 99;
		_exit(0);
	}
	wait(NULL);
	blocker = mmap(NULL, 20 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	r = mremap(q, 16 * PG, 16 * PG, MREMAP_MAYMOVE | MREMAP_FIXED,
		   blocker + 2 * PG);
	printf("FIXED over a mapping: at the address: %s, data: %s\n",
	       yes(r == blocker + 2 * PG),
	       yes(r != MAP_FAILED && filled(r, 4 * PG, 21)));
	if (r == MAP_FAILED)
		return 1;
	q = r;
	errno = 0;
	printf("unaligned old: %s\n", mremap(q + 1, PG, 2 * PG, MREMAP_MAYMOVE) ==
	       MAP_FAILED ? errname(errno) : "ok");
	errno = 0;
	printf("bad flags: %s\n", mremap(q, PG, PG, 8) == MAP_FAILED ?
	       errname(errno) : "ok");
	errno = 0;
	printf("FIXED without MAYMOVE: %s\n", mremap(q, PG, PG, MREMAP_FIXED,
	       q + 64 * PG) == MAP_FAILED ? errname(errno) : "ok");
	errno = 0;
	printf("new size 0: %s\n", mremap(q, PG, 0, MREMAP_MAYMOVE) ==
	       MAP_FAILED ? errname(errno) : "ok");
	errno = 0;
	printf("DONTUNMAP with a new size: %s\n", mremap(q, PG, 2 * PG,
	       MREMAP_MAYMOVE | MREMAP_DONTUNMAP) == MAP_FAILED ?
	       errname(errno) : "ok");
	errno = 0;
	printf("FIXED overlapping itself: %s\n", mremap(q, 4 * PG, 4 * PG,
	       MREMAP_MAYMOVE | MREMAP_FIXED, q + 2 * PG) == MAP_FAILED ?
	       errname(errno) : "ok");
	munmap(q + 8 * PG, 8 * PG);
	errno = 0;
	printf("old range past its mapping: %s\n", mremap(q, 16 * PG, 32 * PG,
	       MREMAP_MAYMOVE) == MAP_FAILED ? errname(errno) : "ok");
	errno = 0;
	printf("unmapped old: %s\n", mremap(q + 8 * PG, PG, 2 * PG,
	       MREMAP_MAYMOVE) == MAP_FAILED ? errname(errno) : "ok");
	return 0;
}
