/*
 * exec_chain: fork; the child execs hello with two arguments (one with a
 * blank); the parent checks the child's exit status, then execs exit7
 * itself, so the VM's status is 7 when everything worked.  Also checks
 * execve's errors: a missing program (ENOENT) and a bad pointer (EFAULT)
 * leave the caller running.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char *hello_argv[] = { "hello", "from exec", "x", NULL };
	char *exit7_argv[] = { "exit7", NULL };
	int status;
	pid_t pid;

	if (execve("nosuchprogram", exit7_argv, NULL) != -1 || errno != ENOENT) {
		printf("exec_chain: FAIL: execve of a missing program: errno %d\n",
		       errno);
		return 1;
	}
	if (execve((char *)0x10, exit7_argv, NULL) != -1 || errno != EFAULT) {
		printf("exec_chain: FAIL: execve with a bad path: errno %d\n", errno);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execve("/hello", hello_argv, NULL);
		printf("exec_chain: FAIL: execve hello returned\n");
		_exit(99);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("exec_chain: FAIL: hello's status %#x\n", status);
		return 1;
	}
	printf("exec_chain: child ran hello; now becoming exit7\n");
	execve("exit7", exit7_argv, NULL);
	printf("exec_chain: FAIL: execve exit7 returned\n");
	return 1;
}
