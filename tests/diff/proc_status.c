/* proc_status: RssAnon and RssShmem in /proc/self/status grow by what is
 * touched, and smaps_rollup's Anonymous agrees; printed as differences,
 * so the libc's own memory cancels out.  (VmRSS and Rss also count the
 * program's file pages, which Linux maps 16 at a time: not comparable.) */
#include "diff.h"
#include <fcntl.h>

static char text[65536];

static long field(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = 0, k;
	char *at;

	while ((k = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	text[n] = 0;
	at = strstr(text, name);
	return at ? atol(at + strlen(name)) : -1;
}

#define STATUS(f)  field("/proc/self/status", f ":")
#define ROLLUP(f)  field("/proc/self/smaps_rollup", "\n" f ":")

int main(void)
{
	long anon0, shm0, rollanon0;
	char *p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile char c = 0;

	printf("proc_status\n");      /* stdio's buffer exists from here */
	fflush(stdout);
	anon0 = STATUS("RssAnon");
	shm0 = STATUS("RssShmem");
	rollanon0 = ROLLUP("Anonymous");
	for (size_t i = 0; i < 64 * PG; i += PG)
		c += p[i];              /* the zero page: no RSS */
	printf("after reading 64 pages: RssAnon +%ld kB\n", STATUS("RssAnon") - anon0);
	for (size_t i = 0; i < 32 * PG; i += PG)
		p[i] = 1;
	for (size_t i = 0; i < 16 * PG; i += PG)
		s[i] = 1;
	printf("after writing 32 private and 16 shared pages:\n");
	printf("  RssAnon +%ld kB\n", STATUS("RssAnon") - anon0);
	printf("  RssShmem +%ld kB\n", STATUS("RssShmem") - shm0);
	printf("  smaps_rollup Anonymous +%ld kB\n",
	       ROLLUP("Anonymous") - rollanon0);
	munmap(p, 64 * PG);
	printf("after munmap: RssAnon %+ld kB\n", STATUS("RssAnon") - anon0);
	printf("status has Pid = getpid(): %s\n", yes(STATUS("Pid") == getpid()));
	printf("meminfo MemTotal > MemFree > 0: %s\n",
	       yes(field("/proc/meminfo", "MemTotal:") >
		   field("/proc/meminfo", "MemFree:") &&
		   field("/proc/meminfo", "MemFree:") > 0));
	{
		int fd = open("/proc/self/maps", O_RDWR);

		errno = 0;
		printf("write to maps: %ld %s\n", (long)write(fd, "x", 1),
		       errname(errno));
		close(fd);
	}
	errno = 0;
	printf("open /proc/self/nonesuch: %d %s\n",
	       open("/proc/self/nonesuch", O_RDONLY), errname(errno));
	return (int)c;
}
