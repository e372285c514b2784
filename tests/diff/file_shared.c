/* file_shared: a shared (read-only) mapping of a file shows what read()
 * returns; its pages are file pages in pagemap, and after fork both
 * processes map the same frame. */
#include "diff.h"
#include <fcntl.h>
#include <stdint.h>

static int pm;

static uint64_t entry(const void *va)
{
	uint64_t e = 0;

	pread(pm, &e, 8, (off_t)((uintptr_t)va / PG * 8));
	return e;
}

int main(int argc, char **argv)
{
	static char buf[2 * 4096];
	int fd = open(argv[0], O_RDONLY);
	const char *p = mmap(NULL, 2 * PG, PROT_READ, MAP_SHARED, fd, 0);
	uint64_t e, pfn;
	int st;

	(void)argc;
	pm = open("/proc/self/pagemap", O_RDONLY);
	read(fd, buf, sizeof(buf));
	printf("mapping equals read: %s\n", yes(memcmp(p, buf, sizeof(buf)) == 0));
	e = entry(p);
	printf("page 0: present %d file %d\n", (int)(e >> 63), (int)(e >> 61 & 1));
	pfn = e & ((1ULL << 55) - 1);
	fflush(stdout);
	if (fork() == 0) {
		uint64_t c = entry(p);

		printf("child maps the same frame: %s\n",
		       yes((c & ((1ULL << 55) - 1)) == pfn && (c >> 63)));
		fflush(stdout);
		_exit(0);
	}
	wait(&st);
	show("mprotect writable on a read-only fd", mprotect((void *)p, PG,
							    PROT_READ | PROT_WRITE));
	show_mmap("shared writable on a read-only fd", NULL, PG,
		  PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return 0;
}
