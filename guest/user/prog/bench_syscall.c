/*
 * bench_syscall [N]: N (default 2000) getpid() calls between marks 16 and
 * 17: the cost of a null system call (trap in, dispatch, trap out).
 */
#include <stdio.h>
#include <unistd.h>
#include <vmmtest.h>

int main(int argc, char **argv)
{
	unsigned long n = vmm_arg_ul(argc, argv, 1, 2000);
	uint64_t t0, t1;

	vmm_mark_calibrate();
	vmm_mark(16);
	t0 = vmm_rdtsc();
	for (unsigned long i = 0; i < n; i++)
		getpid();
	t1 = vmm_rdtsc();
	vmm_mark(17);
	printf("bench_syscall: %lu calls, tsc/call %lu\n", n,
	       (unsigned long)((t1 - t0) / n));
	return 0;
}
