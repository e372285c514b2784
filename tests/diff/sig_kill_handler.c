/* sig_kill_handler: kill() runs a handler before it returns; a blocked
 * signal waits (sigpending) and runs when unblocked; SIG_IGN drops it;
 * sigaction's errors. */
#include "diff.h"

static volatile int runs, last_code, from_me;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	runs++;
	last_code = si->si_code;
	from_me = si->si_pid == getpid() && sig == SIGUSR1;
}

int main(void)
{
	struct sigaction sa, old;
	sigset_t set, pend;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	show("sigaction SIGUSR1", sigaction(SIGUSR1, &sa, &old));
	printf("old handler was SIG_DFL: %s\n", yes(old.sa_handler == SIG_DFL));
	show("kill self first", kill(getpid(), SIGUSR1));
	printf("runs %d, SI_USER: %s, from me: %s\n", runs,
	       yes(last_code == SI_USER), yes(from_me));
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	show("block SIGUSR1", sigprocmask(SIG_BLOCK, &set, NULL));
	show("kill self", kill(getpid(), SIGUSR1));
	show("kill self again", kill(getpid(), SIGUSR1));
	sigpending(&pend);
	printf("runs %d, pending: %s\n", runs, yes(sigismember(&pend, SIGUSR1)));
	show("unblock", sigprocmask(SIG_UNBLOCK, &set, NULL));
	printf("runs %d (one delivery for two sends)\n", runs);
	printf("signal(SIG_IGN) returned the handler: %s\n",
	       yes((void (*)(void))signal(SIGUSR1, SIG_IGN) ==
		   (void (*)(void))on_usr1));
	show("kill ignored", kill(getpid(), SIGUSR1));
	printf("runs %d\n", runs);
	show("sigaction SIGKILL", sigaction(SIGKILL, &sa, NULL));
	show("sigaction SIGSTOP", sigaction(SIGSTOP, &sa, NULL));
	show("sigaction 0", sigaction(0, &sa, NULL));
	show("sigaction 65", sigaction(65, &sa, NULL));
	show("sigprocmask bad how", sigprocmask(99, &set, NULL));
	show("query SIGKILL", sigaction(SIGKILL, NULL, &old));
	return 0;
}
