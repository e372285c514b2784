/*
 * segv: reads an unmapped address.  The kernel must kill this process
 * (SIGSEGV-style) and carry on; "segv: still alive" must never appear.
 */
#include <stdint.h>
#include <stdio.h>

/* volatile so the compiler can neither fold nor warn about the address */
static volatile uintptr_t segv_addr = 0xdead000;

int main(void)
{
	printf("segv: touching %#lx\n", (unsigned long)segv_addr);
	int v = *(volatile int *)segv_addr;
	printf("segv: still alive (read %d)\n", v);
	return 0;
}
