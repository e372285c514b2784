/*
 * orphan_exit: a grandchild outlives the program and its own parent: the
 * child forks it and exits, the program exits at once, the grandchild
 * (an orphan whose adoptive parent, pid 1, is gone) sleeps, prints and
 * exits.  The kernel must finish with the program's status (0), not wait
 * for ever or count the orphan as a program of the boot image.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		if (fork() == 0) {
			usleep(100000);
			printf("orphan_exit: the orphan exits\n");
			_exit(3);
		}
		_exit(0);
	}
	printf("orphan_exit: the program exits\n");
	return 0;
}
