/*
 * cow_nested [DEPTH] [WIDTH]: a tree of forks, DEPTH levels (default 3),
 * WIDTH children per process (default 3; the whole tree can be alive at
 * once, so keep it under the kernel's 64 process slots), every process writing to pages
 * it inherited copy-on-write while the timer preempts them all; reference
 * counts must survive the interleaving (cowtest's repeated forks).  Each
 * process checks its own data and reports failure through its status.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL
#define PAGES 8

static char *buf;

static int check_own(unsigned seq)
{
	return tag_check(buf, PAGES * PAGE, (unsigned)getpid(), seq) != 0;
}

/* Returns the number of failed processes in this subtree. */
static int grow(int depth, int width)
{
	int failed = 0, status;

	tag_fill(buf, PAGES * PAGE, (unsigned)depth);
	for (int i = 0; depth > 0 && i < width; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			printf("cow_nested: FAIL: fork at depth %d: %s\n", depth,
			       strerror(errno));
			return failed + 1;
		}
		if (pid == 0)
			_exit(grow(depth - 1, width) ? 1 : 0);
		/* busy a little so the timer interleaves parent and child */
		for (volatile int spin = 0; spin < 200000; spin++)
			;
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	return failed + check_own((unsigned)depth);
}

int main(int argc, char **argv)
{
	int depth = (int)vmm_arg_ul(argc, argv, 1, 3);
	int width = (int)vmm_arg_ul(argc, argv, 2, 3);
	int failed;

	buf = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 1;
	failed = grow(depth, width);
	if (failed) {
		printf("cow_nested: FAIL: %d processes saw wrong data\n", failed);
		return 1;
	}
	printf("cow_nested: ok: depth %d width %d\n", depth, width);
	return 0;
}
