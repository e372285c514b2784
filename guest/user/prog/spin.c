/* spin: loops forever without system calls; only preemption stops it. */
#include <stdio.h>

int main(void)
{
	volatile unsigned long n = 0;

	printf("spin: looping forever\n");
	for (;;)
		n++;
}
