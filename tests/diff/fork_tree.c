/* fork_tree: three generations share pages copy-on-write; each writes a
 * page of its own and every other generation keeps its view. */
#include "diff.h"

static char *p;

static void generation(int depth)
{
	int st;
	pid_t pid;

	p[depth * PG] = (char)(depth + 1);
	if (depth == 3)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		generation(depth + 1);
		exit(depth + 1);
	}
	waitpid(pid, &st, 0);
	printf("depth %d: child %s; my pages:", depth, status_str(st));
	for (int i = 0; i < 4; i++)
		printf(" %d", p[i * PG]);
	printf("\n");
}

int main(void)
{
	p = show_mmap("mmap", NULL, 4 * PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	generation(0);
	fflush(stdout);
	return 0;
}
