/*
 * wait_status: wait4's Linux status encoding.  One child exits 3, one is
 * killed by a segfault (SIGSEGV, 11); an orphaned grandchild is re-parented
 * to pid 1 (us, when started first) and reaped by our final wait loop.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status, ok = 1;
	pid_t a, b;

	a = fork();
	if (a == 0)
		_exit(3);
	b = fork();
	if (b == 0) {
		if (fork() == 0)           /* grandchild: outlives its parent */
			_exit(5);
		*(volatile int *)0 = 1;    /* killed here */
		_exit(0);
	}
	if (waitpid(a, &status, 0) != a || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 3) {
		printf("wait_status: FAIL: exit 3 child gave status %#x\n", status);
		ok = 0;
	}
	if (waitpid(b, &status, 0) != b || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != 11) {
		printf("wait_status: FAIL: segfaulting child gave status %#x\n",
		       status);
		ok = 0;
	}
	/* the orphan, now ours (pid 1) */
	if (wait(&status) <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 5) {
		printf("wait_status: FAIL: orphan gave status %#x\n", status);
		ok = 0;
	}
	if (wait(&status) != -1) {
		printf("wait_status: FAIL: a fourth child to wait for\n");
		ok = 0;
	}
	if (ok)
		printf("wait_status: ok: exited 3, killed by 11, orphan reaped\n");
	return ok ? 0 : 1;
}
