/* file_private: a private mapping of a file shows what read() returns;
 * writes to it stay private (read() still sees the file). */
#include "diff.h"
#include <fcntl.h>

int main(int argc, char **argv)
{
	static char buf[2 * 4096];
	int fd = open(argv[0], O_RDONLY);
	char *p;
	ssize_t n;

	(void)argc;
	printf("open self: %s\n", yes(fd >= 0));
	n = read(fd, buf, sizeof(buf));
	printf("read %ld bytes\n", (long)n);
	p = show_mmap("mmap private", NULL, 2 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE, fd, 0);
	printf("mapping equals read: %s\n", yes(memcmp(p, buf, sizeof(buf)) == 0));
	printf("ELF magic: %s\n", yes(memcmp(p, "\177ELF", 4) == 0));
	p[0] = 'X';
	p[PG] = 'Y';
	lseek(fd, 0, SEEK_SET);
	read(fd, buf, 4);
	printf("file unchanged: %s, mapping changed: %s\n",
	       yes(memcmp(buf, "\177ELF", 4) == 0), yes(p[0] == 'X'));
	show("mmap bad offset", mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED ? -1 : 0);
	show("close", close(fd));
	show("close again", close(fd));
	printf("mapping still there after close: %s\n", yes(p[PG] == 'Y'));
	return 0;
}
