/* proc_maps: /proc/self/maps after each mmap, mprotect and munmap:
 * the line of our mapping, its permissions and length, and how many
 * lines it splits into.  Addresses are printed as offsets. */
#include "diff.h"
#include <fcntl.h>

static char maps[65536];

static void show_maps(const char *when, char *base, size_t len)
{
	int fd = open("/proc/self/maps", O_RDONLY), lines = 0;
	ssize_t n = 0, k;
	unsigned long lo = (unsigned long)base, hi = lo + len;

	while ((k = read(fd, maps + n, sizeof(maps) - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	maps[n] = 0;
	printf("%s:\n", when);
	for (char *line = maps; *line;) {
		char *nl = strchr(line, '\n'), *end;
		unsigned long s = strtoul(line, &end, 16);
		unsigned long e = strtoul(end + 1, &end, 16);
		char perms[5];

		memcpy(perms, end + 1, 4);
		perms[4] = 0;
		if (s < hi && e > lo) {
			printf("  +%lu pages, %lu pages %s\n",
			       s > lo ? (s - lo) / PG : 0,
			       ((e < hi ? e : hi) - (s > lo ? s : lo)) / PG, perms);
			lines++;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	printf("  %d lines\n", lines);
}

int main(void)
{
	size_t len = 8 * PG;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	show_maps("after mmap", p, len);
	mprotect(p + 2 * PG, 2 * PG, PROT_READ);
	show_maps("after mprotect of pages 2..3", p, len);
	mprotect(p + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE);
	show_maps("after mprotect back", p, len);
	munmap(p + 5 * PG, PG);
	show_maps("after munmap of page 5", p, len);
	mprotect(p, len, PROT_NONE);
	show_maps("after PROT_NONE over all", p, len);
	munmap(p, len);
	show_maps("after munmap of all", p, len);
	return 0;
}
