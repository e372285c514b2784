/* pipe_fork: a pipe between parent and child: data in order, EOF when
 * the last writer closes, EPIPE (and SIGPIPE) with no reader left,
 * O_NONBLOCK's EAGAIN, dup2 of a pipe onto stdout. */
#include "diff.h"
#include <fcntl.h>

static void write_to_closed(void *arg)
{
	int *fds = arg;

	close(fds[0]);
	write(fds[1], "x", 1);          /* SIGPIPE ends us */
}

int main(void)
{
	int fds[2], st;
	char buf[64];
	ssize_t n;
	pid_t pid;

	show("pipe", pipe(fds));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (int i = 0; i < 3; i++) {
			char msg[16];
			int len = snprintf(msg, sizeof(msg), "msg %d;", i);

			write(fds[1], msg, (size_t)len);
		}
		_exit(0);
	}
	close(fds[1]);
	n = 0;
	for (ssize_t k; (k = read(fds[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0;)
		n += k;
	buf[n] = 0;
	printf("read until EOF: \"%s\"\n", buf);
	printf("read at EOF again: %ld\n", (long)read(fds[0], buf, 1));
	waitpid(pid, &st, 0);
	printf("writer %s\n", status_str(st));
	close(fds[0]);

	pipe(fds);
	in_child("write with no reader", write_to_closed, fds);
	signal(SIGPIPE, SIG_IGN);
	close(fds[0]);
	errno = 0;
	printf("write, SIGPIPE ignored: %ld %s\n", (long)write(fds[1], "x", 1),
	       errname(errno));
	close(fds[1]);

	show("pipe2 O_NONBLOCK", pipe2(fds, O_NONBLOCK));
	errno = 0;
	printf("empty read: %ld %s\n", (long)read(fds[0], buf, 1), errname(errno));
	printf("F_GETFL nonblock: %s\n", yes(fcntl(fds[0], F_GETFL) & O_NONBLOCK));
	show("lseek on a pipe", (int)lseek(fds[0], 0, SEEK_SET));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		printf("through the pipe\n");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	n = read(fds[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("child's stdout arrived: %s", buf);
	return 0;
}
