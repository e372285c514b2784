/* cow_fork_chain: a child forks a grandchild, exits, and the grandchild
 * still sees the data from before both forks; writes stay private. */
#include "diff.h"

int main(void)
{
	int *s = show_mmap("mmap shared result", NULL, PG, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *p = show_mmap("mmap private", NULL, 8 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	fill(p, 8 * PG, 50);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pid_t g = fork();

		if (g == 0) {
			usleep(20000);  /* let the middle process exit first */
			s[0] = filled(p, 8 * PG, 50) ? 1 : 2;
			p[0] = 9;
			s[1] = p[0];
			_exit(0);
		}
		p[0] = 7;
		waitpid(g, NULL, 0);
		_exit(p[0]);
	}
	waitpid(pid, &st, 0);
	printf("middle: %s\n", status_str(st));
	printf("grandchild saw the data: %d, its write: %d\n", s[0], s[1]);
	printf("parent's data intact: %s\n", yes(filled(p, 8 * PG, 50)));
	return 0;
}
