/* proc_pagemap: /proc/self/pagemap's present, exclusive and file bits
 * through demand zero, the zero page, fork (PFN shared, not exclusive)
 * and COW (PFN differs after the write); PFNs compared, not printed. */
#include "diff.h"
#include <fcntl.h>
#include <stdint.h>

static int pm;

static uint64_t entry(void *va)
{
	uint64_t e = 0;

	if (pread(pm, &e, 8, (off_t)((uintptr_t)va / PG * 8)) != 8)
		printf("short pagemap read\n");
	return e;
}

static void show_page(const char *what, void *va)
{
	uint64_t e = entry(va);

	printf("%s: present %d exclusive %d file %d\n", what,
	       (int)(e >> 63 & 1), (int)(e >> 56 & 1), (int)(e >> 61 & 1));
}

static uint64_t pfn(void *va)
{
	return entry(va) & ((1ULL << 55) - 1);
}

int main(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile char c;
	uint64_t before;
	int st;
	pid_t pid;

	pm = open("/proc/self/pagemap", O_RDONLY);
	printf("open: %s\n", yes(pm >= 0));
	show_page("untouched", p);
	p[0] = 1;
	show_page("written", p);
	c = p[PG];
	(void)c;
	show_page("read (zero page)", p + PG);
	printf("PFN nonzero when written: %s\n", yes(pfn(p) != 0));
	s[0] = 1;
	show_page("shared anonymous", s);
	before = pfn(p);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		show_page("child, before its write", p);
		printf("child: same PFN as parent: %s\n", yes(pfn(p) == before));
		p[0] = 2;
		show_page("child, after its write", p);
		printf("child: PFN changed by the write: %s\n", yes(pfn(p) != before));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	show_page("parent, after the child's exit", p);
	printf("parent's PFN kept: %s\n", yes(pfn(p) == before));
	munmap(p, 4 * PG);
	show_page("unmapped", p);
	printf("lseek to the end of user space: %s\n",
	       yes(lseek(pm, 0, SEEK_SET) == 0));
	return 0;
}
