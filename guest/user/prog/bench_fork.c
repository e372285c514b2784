/*
 * bench_fork [PAGES]: touch PAGES (default 1024 = 4 MiB) private pages,
 * then fork; marks bracket each phase for the VMM (-v):
 *   16..17  fork() in the parent (copy VMAs and page tables, write-protect)
 *   18..19  the child writes every page: one COW copy each
 *   20..21  the parent, after the child exited, writes every page: the
 *           frames are its own again, so each fault reuses (no copy)
 *   22..23  a second child exits at once, having written nothing of
 *           what it got: from its last instruction to the parent's
 *           return from waitpid
 * Run with a long quantum (quantum=10000) so no tick splits a phase.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL

static void write_all(volatile unsigned long *p, unsigned long pages,
		      unsigned long v)
{
	for (unsigned long i = 0; i < pages; i++)
		p[i * PAGE / 8] = v;
}

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 1024);
	volatile unsigned long *p;
	int status;
	pid_t pid;

	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	write_all(p, pages, 1);
	vmm_mark_calibrate();
	vmm_mark(16);
	pid = fork();
	if (pid == 0) {
		vmm_mark(18);
		write_all(p, pages, 2);
		vmm_mark(19);
		_exit(0);
	}
	vmm_mark(17);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	vmm_mark(20);
	write_all(p, pages, 3);
	vmm_mark(21);
	pid = fork();
	if (pid == 0) {
		vmm_mark(22);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	vmm_mark(23);
	printf("bench_fork: %lu pages forked, copied by the child, reused by "
	       "the parent\n", pages);
	return 0;
}
