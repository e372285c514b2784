/* mprotect_cow: making a copy-on-write page writable again after fork
 * still copies it: the other process never sees the write. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap", NULL, 2 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	p[0] = 'P';
	show("mprotect read-only", mprotect(p, 2 * PG, PROT_READ));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		mprotect(p, 2 * PG, PROT_READ | PROT_WRITE);
		p[0] = 'C';
		p[PG] = 'C';
		printf("child sees %c %c\n", p[0], p[PG]);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child %s; parent sees %c and %d\n", status_str(st), p[0], p[PG]);
	show("mprotect read-write", mprotect(p, 2 * PG, PROT_READ | PROT_WRITE));
	p[0] = 'Q';
	printf("parent now %c\n", p[0]);
	return 0;
}
