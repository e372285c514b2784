/* mincore_ops: residency of anonymous pages (untouched, read, written,
 * dropped), of a file mapping (in the page cache even when untouched),
 * and mincore's errors. */
#include "diff.h"
#include <fcntl.h>

static void show_vec(const char *what, void *p, size_t pages)
{
	unsigned char vec[16];
	int r = mincore(p, pages * PG, vec);

	printf("%s:", what);
	if (r) {
		printf(" %s\n", errname(errno));
		return;
	}
	for (size_t i = 0; i < pages; i++)
		printf(" %d", vec[i] & 1);
	printf("\n");
}

int main(int argc, char **argv)
{
	char *p = mmap(NULL, 6 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = open(argv[0], O_RDONLY);
	char *f = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	unsigned char vec[4];
	volatile char c;

	(void)argc;
	show_vec("untouched", p, 6);
	c = p[PG];
	p[2 * PG] = 1;
	p[3 * PG] = 1;
	(void)c;
	show_vec("read 1, wrote 2 and 3", p, 6);
	madvise(p + 3 * PG, PG, MADV_DONTNEED);
	show_vec("after DONTNEED of 3", p, 6);
	show_vec("file, untouched", f, 2);
	{
		int r = mincore(p + 1, PG, vec);

		printf("unaligned: %d %s\n", r, errname(errno));
	}
	munmap(p + 4 * PG, PG);
	show_vec("over a hole", p, 6);
	{
		int r = mincore(p, PG, (unsigned char *)8);

		printf("bad vector: %d %s\n", r, errname(errno));
	}
	show_vec("length 0", p, 0);
	return 0;
}
