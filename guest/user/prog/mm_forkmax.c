/*
 * mm_forkmax [PAGES [MS]]: fork until the kernel says no.  Each child
 * touches PAGES (default 16) private pages and sleeps MS ms (default
 * 500), so that all of them are alive together; the parent forks until fork fails, which must be
 * Linux's EAGAIN (no process slot) or ENOMEM (no memory for the child's
 * tables), then reaps every child.  Reports forkmax.children and
 * forkmax.errno for the host.  The kernel must not panic, and every frame
 * must come back (the harness checks the kernel's free counts).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

#define PAGE 4096UL
#define MAX_CHILDREN 100000

int main(int argc, char **argv)
{
	unsigned long pages = vmm_arg_ul(argc, argv, 1, 16);
	unsigned long ms = vmm_arg_ul(argc, argv, 2, 500);
	unsigned long n = 0, reaped = 0;
	int err = 0, status;

	while (n < MAX_CHILDREN) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			volatile char *p = mmap(NULL, pages * PAGE,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				for (unsigned long i = 0; i < pages; i++)
					p[i * PAGE] = 1;
			usleep((useconds_t)(ms * 1000));
			_exit(0);
		}
		n++;
	}
	while (wait(&status) > 0)
		reaped++;
	printf("mm_forkmax: %lu children, fork failed with %s, %lu reaped\n",
	       n, err ? strerror(err) : "nothing", reaped);
	vmm_report("forkmax.children", n);
	vmm_report("forkmax.errno", (unsigned long)err);
	return (err == EAGAIN || err == ENOMEM) && reaped == n ? 0 : 1;
}
