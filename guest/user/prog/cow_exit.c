/*
 * cow_exit [PAGES]: the parent tags PAGES (default 16) pages, forks a
 * child that exits at once without touching them, waits for it, and
 * checks that every page still holds its own data: a child's exit drops
 * its references to the copy-on-write frames and nothing else.  The
 * parent allocates nothing after the wait, so the exit audit sees the
 * frames exactly as the child's exit left them (the auditor's
 * use-after-free control, inject=use_after_free, relies on it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16), len = pages * PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;
	size_t bad;
	pid_t kid;

	if (p == MAP_FAILED)
		return 1;
	tag_fill(p, len, 0);
	printf("cow_exit: %lu pages tagged\n", pages);
	kid = fork();
	if (kid < 0) {
		printf("cow_exit: FAIL: fork\n");
		return 1;
	}
	if (kid == 0)
		_exit(0);
	if (waitpid(kid, &status, 0) != kid || !WIFEXITED(status)) {
		printf("cow_exit: FAIL: wait\n");
		return 1;
	}
	bad = tag_check(p, len, (unsigned)getpid(), 0);
	if (bad) {
		printf("cow_exit: FAIL: %zu words lost after the child's exit\n",
		       bad);
		return 1;
	}
	printf("cow_exit: ok: %lu pages intact after the child's exit\n", pages);
	return 0;
}
