/* proc_status: what /proc/self/smaps and smaps_rollup count as the
 * program touches memory: a mapping's Rss grows by the pages written
 * (not by pages only read: the zero page), Anonymous for private pages;
 * printed as differences, so the libc's own memory cancels out.  These
 * come from a walk of the page tables on every Linux; the RSS counters
 * of /proc/self/status lag by up to 64 faults on Linux 6.1 (per-task
 * caches), so only its exact fields are compared. */
#include "diff.h"
#include <fcntl.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static char text[131072];

static void slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = 0, k;

	while ((k = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	text[n] = 0;
}

/* Field name (e.g. "Rss:") of the smaps entry of the VMA starting at va. */
static long vma_field(void *va, const char *name)
{
	char head[32], *at;

	slurp("/proc/self/smaps");
	snprintf(head, sizeof(head), "%08lx-", (unsigned long)va);
	at = strstr(text, head);
	if (!at)
		return -1;
	at = strstr(at, name);
	return at ? atol(at + strlen(name)) : -1;
}

static long rollup(const char *name)
{
	char *at;

	slurp("/proc/self/smaps_rollup");
	at = strstr(text, name);
	return at ? atol(at + strlen(name)) : -1;
}

static long status(const char *name)
{
	char *at;

	slurp("/proc/self/status");
	at = strstr(text, name);
	return at ? atol(at + strlen(name)) : -1;
}

int main(void)
{
	long anon0;
	/* at fixed places far from everything, so no neighbour merges in */
	char *p = mmap((void *)0x210000000000UL, 64 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	char *s = mmap((void *)0x220000000000UL, 16 * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	volatile char c = 0;

	printf("proc_status: mapped %s\n", yes(p != MAP_FAILED && s != MAP_FAILED));
	fflush(stdout);         /* stdio's buffer exists from here */
	memset(text, 1, sizeof(text));  /* and the file buffer's pages */
	anon0 = rollup("\nAnonymous:");
	for (size_t i = 0; i < 64 * PG; i += PG)
		c += p[i];              /* the zero page: no RSS */
	printf("after reading 64 pages: mapping Rss %ld kB, Anonymous +%ld kB\n",
	       vma_field(p, "\nRss:"), rollup("\nAnonymous:") - anon0);
	for (size_t i = 0; i < 32 * PG; i += PG)
		p[i] = 1;
	for (size_t i = 0; i < 16 * PG; i += PG)
		s[i] = 1;
	printf("after writing 32 private and 16 shared pages:\n");
	printf("  private mapping: Size %ld kB, Rss %ld kB, Anonymous %ld kB, "
	       "Private_Dirty %ld kB\n", vma_field(p, "\nSize:"),
	       vma_field(p, "\nRss:"), vma_field(p, "\nAnonymous:"),
	       vma_field(p, "\nPrivate_Dirty:"));
	printf("  shared mapping: Rss %ld kB, Anonymous %ld kB\n",
	       vma_field(s, "\nRss:"), vma_field(s, "\nAnonymous:"));
	printf("  smaps_rollup Anonymous +%ld kB\n", rollup("\nAnonymous:") - anon0);
	munmap(p, 64 * PG);
	printf("after munmap: Anonymous %+ld kB\n", rollup("\nAnonymous:") - anon0);
	printf("status: Pid = getpid(): %s, RssAnon and RssShmem listed: %s\n",
	       yes(status("\nPid:") == getpid()),
	       yes(status("\nRssAnon:") >= 0 && status("\nRssShmem:") >= 0));
	printf("meminfo MemTotal > MemFree > 0: %s\n",
	       yes((slurp("/proc/meminfo"), 1) &&
		   atol(strstr(text, "MemTotal:") + 9) >
		   atol(strstr(text, "MemFree:") + 8) &&
		   atol(strstr(text, "MemFree:") + 8) > 0));
	{
		int fd = open("/proc/self/maps", O_RDWR);
		long r = (long)write(fd, "x", 1);

		printf("write to maps: %ld %s\n", r, errname(errno));
		close(fd);
		fd = open("/proc/self/nonesuch", O_RDONLY);
		printf("open /proc/self/nonesuch: %d %s\n", fd, errname(errno));
	}
	return (int)c;
}
