/* sig_default: default actions and the edges of handling: SIGBUS past a
 * file's end, a fault inside the SIGSEGV handler, SA_RESETHAND, a handler
 * that returns into a bad context, inheritance across fork. */
#include "diff.h"
#include <fcntl.h>
#include <sys/ucontext.h>

static void plain(int sig)
{
	(void)sig;
}

static void fault_again(int sig)
{
	(void)sig;
	probe_write((void *)8);         /* SIGSEGV is blocked in here */
}

static void bad_return(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_RIP] = (long)0x800000000000UL;
}

static void sigbus_past_eof(void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);
	off_t size = lseek(fd, 0, SEEK_END);
	char *p = mmap(NULL, (size_t)size + 2 * PG, PROT_READ, MAP_PRIVATE,
		       fd, 0);

	probe_read(p + ((size + PG - 1) & ~(off_t)(PG - 1)) + 16);
}

static void segv_in_handler(void *arg)
{
	(void)arg;
	signal(SIGSEGV, fault_again);
	probe_write((void *)8);
}

static void resethand(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = plain;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR2);         /* handled, and the action reset */
	raise(SIGUSR2);         /* default: the end */
}

static void returns_badly(void *arg)
{
	struct sigaction sa;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = bad_return;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
}

static void ignored_then_raised(void *arg)
{
	(void)arg;
	signal(SIGTERM, SIG_IGN);
	raise(SIGTERM);
	signal(SIGCHLD, SIG_DFL);
	raise(SIGCHLD);
	raise(SIGWINCH);
}

static void inherit(void *arg)
{
	sigset_t set;
	pid_t pid;
	int st;

	(void)arg;
	signal(SIGUSR1, plain);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);                 /* pending in the parent only */
	pid = fork();
	if (pid == 0) {
		sigset_t pend, mask;

		sigpending(&pend);
		sigprocmask(SIG_BLOCK, NULL, &mask);
		raise(SIGUSR1);         /* the inherited handler */
		_exit((sigismember(&pend, SIGUSR2) ? 1 : 0) |
		      (sigismember(&mask, SIGUSR2) ? 2 : 0));
	}
	waitpid(pid, &st, 0);
	exit(WIFEXITED(st) ? 10 + WEXITSTATUS(st) : 99);
}

int main(int argc, char **argv)
{
	(void)argc;
	in_child("read past the end of a file mapping", sigbus_past_eof, argv[0]);
	in_child("fault in the SIGSEGV handler", segv_in_handler, NULL);
	in_child("SA_RESETHAND, raised twice", resethand, NULL);
	in_child("handler returns to a non-canonical rip", returns_badly, NULL);
	in_child("SIGTERM ignored, SIGCHLD and SIGWINCH default", ignored_then_raised, NULL);
	in_child("fork: handler and mask inherited, pending not", inherit, NULL);
	return 0;
}
