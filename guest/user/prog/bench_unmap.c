/*
 * bench_unmap [PAGES]: the costs that grow with a mapping's size, for
 * PAGES (default 4096 = 16 MiB) touched private pages; marks bracket:
 *   16..17  mprotect(PROT_READ) of all of it (write-protect every PTE)
 *   18..19  munmap of all of it (tear down, free every frame)
 *   20..21  exit of a child that touched PAGES pages: from the child's
 *           last instruction to the parent's return from waitpid
 * The same source runs on Linux (tests/bench/linux_shim.c).
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

static volatile unsigned long *touched(unsigned long pages)
{
	volatile unsigned long *p = vmm_map_anon("bench_unmap", pages * PAGE);

	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = i;
	return p;
}

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 4096);
	volatile unsigned long *p = touched(pages);
	int status;
	pid_t pid;

	vmm_mark_calibrate();
	vmm_mark(16);
	if (mprotect((void *)p, pages * PAGE, PROT_READ) < 0)
		return 1;
	vmm_mark(17);
	vmm_mark(18);
	if (munmap((void *)p, pages * PAGE) < 0)
		return 1;
	vmm_mark(19);
	pid = fork();
	if (pid == 0) {
		touched(pages);
		vmm_mark(20);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	vmm_mark(21);
	printf("bench_unmap: %lu pages write-protected, unmapped, and a "
	       "child of as many exited\n", pages);
	return 0;
}
