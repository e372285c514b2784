/* sig_altstack: a stack overflow is caught on the alternate stack and
 * left with siglongjmp; sigaltstack's errors and its reported state. */
#include "diff.h"
#include <setjmp.h>

#define ALT_SIZE 65536  /* glibc's SIGSTKSZ is not a constant */

static sigjmp_buf back;
static char *alt;
static volatile int on_alt;

static void on_segv(int sig)
{
	char here;

	(void)sig;
	on_alt = &here > alt && &here < alt + ALT_SIZE;
	siglongjmp(back, 1);
}

static long recurse(long n)
{
	volatile char pad[4096];

	pad[0] = (char)n;
	if (n < 0)              /* never: the stack ends first */
		return 0;
	return recurse(n + 1) + pad[0];
}

int main(void)
{
	stack_t ss, old;
	struct sigaction sa;

	alt = malloc(ALT_SIZE);
	ss.ss_sp = alt;
	ss.ss_size = 100;
	ss.ss_flags = 0;
	show("sigaltstack too small", sigaltstack(&ss, NULL));
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 99;
	show("sigaltstack bad flags", sigaltstack(&ss, NULL));
	ss.ss_flags = 0;
	show("sigaltstack", sigaltstack(&ss, &old));
	printf("old: disabled %s\n", yes(old.ss_flags == SS_DISABLE));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_ONSTACK;
	show("sigaction", sigaction(SIGSEGV, &sa, NULL));
	if (sigsetjmp(back, 1) == 0) {
		recurse(0);
		printf("no overflow?\n");
	} else {
		printf("stack overflow caught, on the alternate stack: %s\n",
		       yes(on_alt));
	}
	sigaltstack(NULL, &old);
	printf("now: flags %d, size ok %s\n", old.ss_flags,
	       yes(old.ss_size == ALT_SIZE));
	ss.ss_flags = SS_DISABLE;
	show("disable", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	printf("disabled: %s\n", yes(old.ss_flags == SS_DISABLE));
	return 0;
}
