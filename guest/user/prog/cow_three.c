/*
 * cow_three [PAGES]: three processes (parent and two children) share
 * PAGES (default 64) pages copy-on-write and each overwrites them with its
 * own tag words; each must then see only its own data (cowtest's
 * threetest).
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

static int fill_and_check(void *p, unsigned long len, const char *who)
{
	size_t bad;

	tag_fill(p, len, 0);
	sched_yield();                 /* let the others write too */
	bad = tag_check(p, len, (unsigned)getpid(), 0);
	if (bad) {
		printf("cow_three: FAIL: %s (pid %d) sees %zu foreign words\n",
		       who, getpid(), bad);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 64), len = pages * PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t kids[2];
	int status, failed = 0;

	if (p == MAP_FAILED)
		return 1;
	tag_fill(p, len, 0);               /* shared before the forks */
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		if (kids[k] < 0) {
			printf("cow_three: FAIL: fork\n");
			return 1;
		}
		if (kids[k] == 0)
			_exit(fill_and_check(p, len, "child"));
	}
	failed |= fill_and_check(p, len, "parent");
	for (int k = 0; k < 2; k++)
		if (waitpid(kids[k], &status, 0) != kids[k] ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	if (failed)
		return 1;
	printf("cow_three: ok: 3 processes, %lu pages each, own data only\n", pages);
	return 0;
}
