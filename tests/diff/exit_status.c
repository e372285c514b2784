/* exit_status: wait statuses of children that exit with codes, return
 * from main, segfault or abort; waitpid's errors. */
#include "diff.h"

static void code(void *arg)
{
	exit((int)(long)arg);
}

static void segv(void *arg)
{
	(void)arg;
	probe_write((void *)16);
}

static void do_abort(void *arg)
{
	(void)arg;
	abort();
}

int main(void)
{
	int st;

	in_child("exit 0", code, (void *)0L);
	in_child("exit 1", code, (void *)1L);
	in_child("exit 255", code, (void *)255L);
	in_child("exit 256", code, (void *)256L);
	in_child("segfault", segv, NULL);
	in_child("abort", do_abort, NULL);
	errno = 0;
	printf("waitpid with no children: %d %s\n", (int)waitpid(-1, &st, 0),
	       errname(errno));
	errno = 0;
	printf("waitpid WNOHANG no children: %d %s\n",
	       (int)waitpid(-1, &st, WNOHANG), errname(errno));
	return 42;
}
