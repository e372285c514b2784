/* linux_parity: the acceptance program, in one: a SIGSEGV
 * handler probes a read-only, a PROT_NONE and an unmapped page; the
 * program reads /proc/self/maps and /proc/self/pagemap, and uses mremap
 * and mincore.  Everything it prints is the same on Linux, byte for
 * byte (addresses as page offsets from the mapping, PFNs compared). */
#include "diff.h"
#include <fcntl.h>
#include <setjmp.h>
#include <stdint.h>

static sigjmp_buf back;
static volatile int code;
static void *volatile fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(back, 1);
}

static void probe(const char *what, char *p, int write)
{
	if (sigsetjmp(back, 1) == 0) {
		if (write)
			probe_write(p);
		else
			probe_read(p);
		printf("%s: no fault\n", what);
	} else {
		printf("%s: SIGSEGV %s at the page: %s\n", what,
		       code == SEGV_MAPERR ? "SEGV_MAPERR" :
		       code == SEGV_ACCERR ? "SEGV_ACCERR" : "?",
		       yes(fault_addr == p));
	}
}

static void maps(char *base, size_t len)
{
	static char text[65536];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = 0, k;
	unsigned long lo = (unsigned long)base, hi = lo + len;

	while ((k = read(fd, text + n, sizeof(text) - 1 - (size_t)n)) > 0)
		n += k;
	close(fd);
	text[n] = 0;
	for (char *line = text; *line;) {
		char *nl = strchr(line, '\n'), *end;
		unsigned long s = strtoul(line, &end, 16);
		unsigned long e = strtoul(end + 1, &end, 16);

		if (s < hi && e > lo)
			printf("  maps: pages %lu..%lu %.4s\n",
			       (s > lo ? s - lo : 0) / PG,
			       ((e < hi ? e : hi) - lo) / PG - 1, end + 1);
		if (!nl)
			break;
		line = nl + 1;
	}
}

static uint64_t pagemap(int fd, void *va)
{
	uint64_t e = 0;

	pread(fd, &e, 8, (off_t)((uintptr_t)va / PG * 8));
	return e;
}

int main(void)
{
	struct sigaction sa;
	int pm = open("/proc/self/pagemap", O_RDONLY);
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	unsigned char vec[8];
	uint64_t pfn0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	p[0] = 'a';
	mprotect(p + PG, PG, PROT_READ);
	mprotect(p + 2 * PG, PG, PROT_NONE);
	munmap(p + 3 * PG, PG);
	probe("write the read-write page", p, 1);
	probe("write the read-only page", p + PG, 1);
	probe("read the read-only page", p + PG, 0);
	probe("read the PROT_NONE page", p + 2 * PG, 0);
	probe("read the unmapped page", p + 3 * PG, 0);
	printf("maps of the 4 pages:\n");
	maps(p, 4 * PG);
	printf("pagemap: page 0 present %d exclusive %d, page 1 present %d, "
	       "page 3 present %d\n", (int)(pagemap(pm, p) >> 63),
	       (int)(pagemap(pm, p) >> 56 & 1), (int)(pagemap(pm, p + PG) >> 63),
	       (int)(pagemap(pm, p + 3 * PG) >> 63));
	pfn0 = pagemap(pm, p) & ((1ULL << 55) - 1);
	mincore(p, 2 * PG, vec);
	printf("mincore pages 0..1: %d %d\n", vec[0] & 1, vec[1] & 1);
	q = mremap(p, PG, 8 * PG, MREMAP_MAYMOVE);
	printf("mremap page 0 to 8 pages: moved %s, data moved %s, same frame %s\n",
	       yes(q != p), yes(q[0] == 1),   /* the probe's write */
	       yes((pagemap(pm, q) & ((1ULL << 55) - 1)) == pfn0));
	mincore(q, 8 * PG, vec);
	printf("mincore of the new 8 pages:");
	for (int i = 0; i < 8; i++)
		printf(" %d", vec[i] & 1);
	printf("\nmaps of the new mapping:\n");
	maps(q, 8 * PG);
	probe("read the old page 0", p, 0);
	return 0;
}
