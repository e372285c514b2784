/* shared_anon: MAP_SHARED|MAP_ANONYMOUS is one memory across fork;
 * private memory next to it is not. */
#include "diff.h"

int main(void)
{
	int *s = show_mmap("mmap shared", NULL, 4 * PG, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *q = show_mmap("mmap private", NULL, PG, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	printf("shared starts zero: %s\n", yes(all_zero(s, 4 * PG)));
	s[0] = 1;
	q[0] = 1;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		s[0] += 10;
		s[1024 * 3] = 42;
		q[0] += 10;
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child %s\n", status_str(st));
	printf("shared page 0 = %d, page 3 = %d, private = %d\n", s[0],
	       s[1024 * 3], q[0]);
	return 0;
}
