/*
 * sleep: sleep for argv[1] milliseconds (default 200), then exit 0.  With
 * every other process finished or asleep the kernel idles meanwhile: under
 * clear=idle that is when it pre-clears free frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long ms = argc > 1 ? strtoul(argv[1], NULL, 10) : 200;

	if (usleep((useconds_t)(ms * 1000)) < 0) {
		perror("sleep: usleep");
		return 1;
	}
	printf("sleep: slept %lu ms\n", ms);
	return 0;
}
