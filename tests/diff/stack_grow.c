/* stack_grow: the stack grows on demand by 1 MiB of recursion; a child
 * that recurses past the 8 MiB limit is killed by SIGSEGV. */
#include "diff.h"

static long deep(long n, long stop)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	frame[1023] = (char)n;
	if (n == stop)
		return frame[0] + frame[1023];
	return deep(n + 1, stop) + frame[512] * 0 + 1;
}

static void too_deep(void *arg)
{
	(void)arg;
	deep(0, 64 * 1024);     /* 64 MiB of frames */
}

int main(void)
{
	printf("1 MiB of frames: %ld\n", deep(0, 1024) > 0 ? 1L : 0L);
	in_child("past the limit", too_deep, NULL);
	return 0;
}
