/* sig_segv_handler: a SIGSEGV handler sees si_code and si_addr for each
 * kind of bad access, and siglongjmp leaves it with the mask restored. */
#include "diff.h"
#include <setjmp.h>

static sigjmp_buf back;
static volatile int caught, code;
static void *volatile addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	caught++;
	code = si->si_code;
	addr = si->si_addr;
	if (sig != SIGSEGV || si->si_signo != SIGSEGV)
		code = -1;
	siglongjmp(back, 1);
}

static const char *code_name(int c)
{
	return c == SEGV_MAPERR ? "SEGV_MAPERR" : c == SEGV_ACCERR ?
	       "SEGV_ACCERR" : "other";
}

static void try(const char *what, void *p, int write)
{
	caught = 0;
	if (sigsetjmp(back, 1) == 0) {
		if (write)
			probe_write(p);
		else
			probe_read(p);
		printf("%s: no fault\n", what);
		return;
	}
	printf("%s: caught %d, %s, address matches: %s\n", what, caught,
	       code_name(code), yes(addr == p));
}

int main(void)
{
	struct sigaction sa;
	sigset_t now;
	char *p = show_mmap("mmap 3", NULL, 3 * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	show("sigaction", sigaction(SIGSEGV, &sa, NULL));
	mprotect(p + PG, PG, PROT_READ);
	mprotect(p + 2 * PG, PG, PROT_NONE);
	try("write read-write page", p + 8, 1);
	try("write read-only page", p + PG + 8, 1);
	try("read read-only page", p + PG + 8, 0);
	try("read PROT_NONE page", p + 2 * PG + 16, 0);
	munmap(p, PG);
	try("read unmapped page", p + 100, 0);
	try("write near NULL", (void *)64, 1);
	sigprocmask(SIG_BLOCK, NULL, &now);
	printf("SIGSEGV blocked after siglongjmp: %s\n",
	       yes(sigismember(&now, SIGSEGV)));
	return 0;
}
