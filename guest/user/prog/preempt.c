/*
 * preempt: five ticks of ~50 ms of pure user-mode work each, printing
 * "preempt PID: tick N" after each.  Two instances run round-robin only
 * if the kernel preempts them (there is no system call inside a tick).
 *
 * User mode runs natively: PLATFORM.md measured a 1M-iteration loop at
 * ~10 ms of guest user time, so 5M volatile increments are ~50 ms.
 * argv[1], if given, overrides the iteration count per tick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PREEMPT_TICKS      5
#define PREEMPT_SPINS_TICK 5000000UL

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
