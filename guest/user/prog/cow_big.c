/*
 * cow_big [PERCENT]: allocate and touch PERCENT (default 60) of the free
 * memory, then fork.  Without copy-on-write the fork could not succeed;
 * with it the child shares every page until it writes.  The child checks
 * a sample of the data and exits 0; the parent waits (MIT 6.1810
 * cowtest's simpletest).
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
	unsigned long pct = vmm_arg_ul(argc, argv, 1, 60);
	long free_frames = vmm_stat_get("frames_free");
	unsigned long pages = (unsigned long)free_frames * pct / 100;
	unsigned long *p;
	int status;
	pid_t pid;

	p = vmm_map_anon("cow_big", pages * PAGE);
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = i;
	pid = fork();
	if (pid < 0) {
		printf("cow_big: FAIL: fork with %lu of %ld free pages touched\n",
		       pages, free_frames);
		return 1;
	}
	if (pid == 0) {
		for (unsigned long i = 0; i < pages; i += 97)
			if (p[i * PAGE / 8] != i) {
				printf("cow_big: FAIL: child page %lu holds %lu\n",
				       i, p[i * PAGE / 8]);
				_exit(1);
			}
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("cow_big: FAIL: child status %#x\n", status);
		return 1;
	}
	printf("cow_big: ok: forked with %lu pages (%lu%% of free memory) touched\n",
	       pages, pct);
	return 0;
}
