/* cow_anon: the intent of the anonymous-memory cases of Linux's cow.c:
 * after fork, a write on either side is never seen by the other; also
 * after mprotect(PROT_READ) then back to PROT_READ|PROT_WRITE around the
 * fork, and across a child's MADV_DONTNEED; a page written then read
 * back via pagemap keeps its exclusivity after the child exits. */
#include "diff.h"
#include <fcntl.h>
#include <stdint.h>

static int test(const char *what, int mode)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st, seen;
	pid_t pid;

	memset(p, 0xaa, 4 * PG);
	if (mode == 1)
		mprotect(p, 4 * PG, PROT_READ);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(20000);
		/* exit 1 if the parent's write leaked into our view */
		_exit(p[0] == (char)0xaa && p[PG] == (char)0xaa ? 0 : 1);
	}
	if (mode == 1)
		mprotect(p, 4 * PG, PROT_READ | PROT_WRITE);
	if (mode == 2)
		madvise(p + PG, PG, MADV_DONTNEED);
	p[0] = 0x55;
	if (mode != 2)
		p[PG] = 0x55;
	waitpid(pid, &st, 0);
	seen = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	printf("%s: child saw the parent's write: %s\n", what,
	       seen == 0 ? "no" : seen == 1 ? "YES" : "crashed");
	munmap(p, 4 * PG);
	return seen;
}

static int test_child_writes(void)
{
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;

	p[0] = 1;
	fflush(stdout);
	if (fork() == 0) {
		p[0] = 2;
		_exit(0);
	}
	wait(&st);
	printf("child's write after fork: parent sees %d\n", p[0]);
	return 0;
}

int main(void)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e;

	test("plain fork", 0);
	test("read-only across fork, then writable", 1);
	test("parent's MADV_DONTNEED after fork", 2);
	test_child_writes();
	p[0] = 1;
	fflush(stdout);
	if (fork() == 0)
		_exit(0);
	wait(NULL);
	p[0] = 2;       /* reuse: the only mapper now */
	pread(pm, &e, 8, (off_t)((uintptr_t)p / PG * 8));
	printf("after the child exits and we write: exclusive %d\n",
	       (int)(e >> 56 & 1));
	return 0;
}
