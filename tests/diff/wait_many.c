/* wait_many: eight children write their index into shared memory and exit
 * with it; the parent reaps a chosen one first, then the rest. */
#include "diff.h"

int main(void)
{
	int *s = show_mmap("mmap shared", NULL, PG, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[8];
	int st, sum = 0;

	fflush(stdout);
	for (int i = 0; i < 8; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			s[i] = i * 10;
			_exit(i);
		}
	}
	waitpid(pids[5], &st, 0);
	printf("child 5 first: %s\n", status_str(st));
	for (int i = 0; i < 7; i++) {
		pid_t pid = wait(&st);
		int idx = -1;

		for (int j = 0; j < 8; j++)
			if (pids[j] == pid)
				idx = j;
		sum += WEXITSTATUS(st);
		if (idx != WEXITSTATUS(st))
			printf("status of child %d is %s\n", idx, status_str(st));
	}
	printf("exit codes sum %d\n", sum);
	for (int i = 0; i < 8; i++)
		printf("slot %d = %d\n", i, s[i]);
	errno = 0;
	printf("wait with none left: %d %s\n", (int)wait(&st), errname(errno));
	return 0;
}
