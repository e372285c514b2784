/* fork_shared_untouched: shared anonymous pages nobody touched before the
 * fork are still one memory: the child's writes reach the parent. */
#include "diff.h"

int main(void)
{
	char *s = show_mmap("mmap shared 16", NULL, 16 * PG, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fill(s, 16 * PG, 70);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child %s; parent sees its writes: %s\n", status_str(st),
	       yes(filled(s, 16 * PG, 70)));
	show("munmap the first half", munmap(s, 8 * PG));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		s[8 * PG + 5] = 'c';
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("second child %s; parent sees %c\n", status_str(st),
	       s[8 * PG + 5]);
	return 0;
}
