/* cow_reuse: after the child exits, the parent's write to a page that was
 * shared copy-on-write keeps its data (reuse or copy, same content). */
#include "diff.h"

int main(void)
{
	char *p = show_mmap("mmap", NULL, 16 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;
	pid_t pid;

	fill(p, 16 * PG, 40);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(filled(p, 16 * PG, 40) ? 0 : 1);
	waitpid(pid, &st, 0);
	printf("child saw the data: %s\n", status_str(st));
	for (size_t i = 0; i < 16 * PG; i += PG)
		p[i + 1] = 'w';
	printf("data kept around the writes: %s\n", yes(p[0] == 40 && p[PG + 64] == (char)(40 + 65 * 7)));
	return 0;
}
