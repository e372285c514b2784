/*
 * preempt: five ticks of ~50 ms of pure user-mode work each, printing
 * "preempt PID: tick N" after each.  Two instances run round-robin only
 * if the kernel preempts them (there is no system call inside a tick).
 *
 * User mode runs natively, so the count is calibrated natively: built as
 * a Linux binary (see guest/user/lib/sysraw.h) on the development host,
 * 25M volatile increments took 64 ms, ~2.6 ns each, so 20M is ~50 ms.
 * argv[1], if given, overrides the iteration count per tick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PREEMPT_TICKS      5
#define PREEMPT_SPINS_TICK 20000000UL

int main(int argc, char **argv)
{
	unsigned long spins = PREEMPT_SPINS_TICK;
	int pid = getpid();

	if (argc > 1)
		spins = strtoul(argv[1], NULL, 0);
	printf("preempt %d: start\n", pid);
	for (int tick = 1; tick <= PREEMPT_TICKS; tick++) {
		volatile unsigned long n = 0;
		while (n < spins)
			n++;
		printf("preempt %d: tick %d\n", pid, tick);
	}
	return 0;
}
