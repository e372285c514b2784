/* fork_cow: after fork each side's writes stay its own; the other side
 * keeps the value from before the fork. */
#include "diff.h"

int main(void)
{
	size_t len = 16 * PG;
	char *p = show_mmap("mmap", NULL, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	fill(p, len, 10);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf("child sees parent's data: %s\n", yes(filled(p, len, 10)));
		fill(p, len / 2, 20);
		printf("child wrote half: %s\n",
		       yes(filled(p, len / 2, 20) &&
			   filled(p + len / 2, len / 2, 10 + len / 2 / 64 * 7)));
		return 3;
	}
	waitpid(pid, &st, 0);
	printf("child: %s\n", status_str(st));
	printf("parent's data intact: %s\n", yes(filled(p, len, 10)));
	fill(p, len, 30);
	printf("parent writes after: %s\n", yes(filled(p, len, 30)));
	return 0;
}
