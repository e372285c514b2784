/* kill_default: default signal actions.  Fatal signals end the target
 * (a sleeping child too), SIGCHLD and signal 0 do nothing, bad pids and
 * signal numbers give Linux's errno. */
#include "diff.h"

static void sleeper(void *arg)
{
	(void)arg;
	sleep(5);
}

int main(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sleep(5);
		_exit(1);
	}
	show("kill 0 (exists?)", kill(pid, 0));
	show("kill SIGCHLD (ignored)", kill(pid, SIGCHLD));
	show("kill SIGTERM", kill(pid, SIGTERM));
	waitpid(pid, &st, 0);
	printf("sleeping child: %s\n", status_str(st));
	show("kill the reaped child", kill(pid, SIGTERM));
	show("kill bad signal", kill(getpid(), 65));
	show("kill negative signal", kill(getpid(), -1));
	in_child("sleeper", sleeper, NULL);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGUSR1);
		printf("still alive after SIGUSR1\n");
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("self-killed child: %s\n", status_str(st));
	return 0;
}
