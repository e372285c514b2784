/* madv_populate: the intent of Linux's madv_populate selftest: populate
 * read maps pages readable (the zero page), populate write maps them
 * writable and breaks COW, holes give ENOMEM, a protection that forbids
 * the access EINVAL; residency checked through /proc/self/pagemap. */
#include "diff.h"
#include <fcntl.h>
#include <stdint.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ  22
#define MADV_POPULATE_WRITE 23
#endif

static int pm;

static int present(char *va, size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t e = 0;

		pread(pm, &e, 8, (off_t)((uintptr_t)(va + i * PG) / PG * 8));
		if (!(e >> 63))
			return 0;
	}
	return 1;
}

int main(void)
{
	char *p = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	char *none = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	int st;

	pm = open("/proc/self/pagemap", O_RDONLY);
	printf("present before: %s\n", yes(present(p, 16)));
	show("POPULATE_READ", madvise(p, 8 * PG, MADV_POPULATE_READ));
	printf("first half present: %s, zero: %s\n", yes(present(p, 8)),
	       yes(all_zero(p, 8 * PG)));
	show("POPULATE_WRITE", madvise(p, 16 * PG, MADV_POPULATE_WRITE));
	printf("all present: %s\n", yes(present(p, 16)));
	show("POPULATE_READ on read-only", madvise(ro, 4 * PG, MADV_POPULATE_READ));
	show("POPULATE_WRITE on read-only", madvise(ro, 4 * PG, MADV_POPULATE_WRITE));
	show("POPULATE_READ on PROT_NONE", madvise(none, 4 * PG, MADV_POPULATE_READ));
	munmap(p + 4 * PG, PG);
	show("POPULATE_WRITE over a hole", madvise(p, 8 * PG, MADV_POPULATE_WRITE));
	fill(p, 4 * PG, 33);
	fflush(stdout);
	if (fork() == 0) {
		/* COW broken by the populate: the parent keeps its data */
		madvise(p, 4 * PG, MADV_POPULATE_WRITE);
		memset(p, 0, 4 * PG);
		_exit(0);
	}
	wait(&st);
	printf("parent's data after the child's populate and write: %s\n",
	       yes(filled(p, 4 * PG, 33)));
	show("MADV_FREE on private", madvise(p + 8 * PG, 8 * PG, MADV_FREE));
	show("MADV_WILLNEED", madvise(p, 4 * PG, MADV_WILLNEED));
	show("MADV_COLD", madvise(p, 4 * PG, MADV_COLD));
	printf("data after hints: %s\n", yes(filled(p, 4 * PG, 33)));
	return 0;
}
