/* sig_restart: a signal that interrupts a blocking read of a pipe or a
 * wait: with SA_RESTART the call goes on and completes (the handler ran
 * once); without it the call fails with EINTR. */
#include "diff.h"

static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* A child that signals us, then (after a pause) writes "ok" and exits. */
static pid_t poke_then_write(int wfd)
{
	pid_t parent = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(parent, SIGUSR1);
		usleep(50000);
		write(wfd, "ok", 2);
		_exit(0);
	}
	return pid;
}

static void try(const char *what, int flags)
{
	struct sigaction sa;
	int fds[2], st;
	char buf[4] = "";
	ssize_t n;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = flags;
	sigaction(SIGUSR1, &sa, NULL);
	handled = 0;
	pipe(fds);
	pid = poke_then_write(fds[1]);
	errno = 0;
	n = read(fds[0], buf, 2);
	printf("%s: read %ld %s, handler ran %d\n", what, (long)n,
	       n < 0 ? errname(errno) : buf, handled);
	if (n < 0) {
		n = read(fds[0], buf, 2);       /* the data still comes */
		printf("%s: read again %ld\n", what, (long)n);
	}
	waitpid(pid, &st, 0);
	close(fds[0]);
	close(fds[1]);

	handled = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		_exit(3);
	}
	{
		pid_t me = getpid(), poker;

		poker = fork();
		if (poker == 0) {
			usleep(30000);
			kill(me, SIGUSR1);
			_exit(0);
		}
		errno = 0;
		n = waitpid(pid, &st, 0);
		printf("%s: waitpid %s %s, handler ran %d\n", what,
		       n == pid ? "returned the child" : "-1",
		       n == pid ? status_str(st) : errname(errno), handled);
		if (n != pid)
			waitpid(pid, &st, 0);
		waitpid(poker, NULL, 0);
	}
}

int main(void)
{
	try("SA_RESTART", SA_RESTART);
	try("no SA_RESTART", 0);
	return 0;
}
