/* hello: the first ring-3 program.  Prints its pid, ppid and argv. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	printf("hello from ring 3: pid %d ppid %d\n", getpid(), getppid());
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	return 0;
}
