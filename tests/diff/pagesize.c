/* pagesize: the page size three ways, and getpid/getppid across fork. */
#include "diff.h"

int main(void)
{
	pid_t me = getpid(), pid;
	int st;

	printf("getpagesize %d\n", getpagesize());
	printf("sysconf %ld\n", sysconf(_SC_PAGESIZE));
	printf("sysconf PAGE_SIZE %ld\n", sysconf(_SC_PAGE_SIZE));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf("child's parent is me: %s\n", yes(getppid() == me));
		printf("child's pid differs: %s\n", yes(getpid() != me));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("fork returned the child's pid: %s\n", yes(pid > 0 && pid != me));
	return 0;
}
