/* cow_after_munmap: after fork, the parent unmapping its copy leaves the
 * child's intact, and the other way round. */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap", NULL, 8 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fds_st;
	pid_t pid;

	fill(p, 8 * PG, 12);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		munmap(p, 4 * PG);
		printf("child: upper half intact: %s\n",
		       yes(filled(p + 4 * PG, 4 * PG, 12 + 4 * PG / 64 * 7)));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &fds_st, 0);
	printf("child %s; parent's whole range intact: %s\n",
	       status_str(fds_st), yes(filled(p, 8 * PG, 12)));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sleep(0);
		printf("second child: intact: %s\n", yes(filled(p, 8 * PG, 12)));
		p[0] = 1;
		fflush(stdout);
		_exit(0);
	}
	munmap(p, 8 * PG);
	waitpid(pid, &fds_st, 0);
	printf("second child %s\n", status_str(fds_st));
	return 0;
}
