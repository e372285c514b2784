/*
 * bigbss: a program whose image is 24 MiB of zero-initialised data, more
 * than all of a 16 MiB guest: execve must refuse it there with ENOMEM
 * before the caller's image is gone (mm_exhaust's exec mode).  In a
 * bigger guest it runs, touching one page of it.
 */
#include <stdio.h>

char big[24 << 20];        /* not static: the compiler must keep it */

int main(void)
{
	big[sizeof(big) - 1] = 1;
	printf("bigbss: ran, %zu MiB of data\n", sizeof(big) >> 20);
	return 0;
}
