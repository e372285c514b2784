/* sig_context: a handler reads and changes the interrupted registers
 * through its ucontext (skip the faulting load, set rax); the callee-
 * saved registers and the stack come back intact after sigreturn. */
#include "diff.h"
#include <sys/ucontext.h>

static volatile long seen_r12, seen_rdi_ok;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	seen_r12 = uc->uc_mcontext.gregs[REG_R12];
	seen_rdi_ok = uc->uc_mcontext.gregs[REG_RDI] == (long)si->si_addr;
	uc->uc_mcontext.gregs[REG_RIP] += 3;    /* movq (%rdi), %rax */
	uc->uc_mcontext.gregs[REG_RAX] = 42;
}

int main(void)
{
	struct sigaction sa;
	long rax, r12_after, r13_after;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	show("sigaction", sigaction(SIGSEGV, &sa, NULL));
	__asm__ volatile("movq $0x1234, %%r12\n\t"
			 "movq $0x5678, %%r13\n\t"
			 "movq $8, %%rdi\n\t"
			 ".byte 0x48, 0x8b, 0x07\n\t"   /* movq (%rdi), %rax */
			 "movq %%r12, %1\n\t"
			 "movq %%r13, %2"
			 : "=a"(rax), "=r"(r12_after), "=r"(r13_after)
			 : : "rdi", "r12", "r13", "memory");
	printf("rax after the skipped load: %ld\n", rax);
	printf("handler saw r12 %#lx, rdi = si_addr: %s\n", seen_r12,
	       yes(seen_rdi_ok));
	printf("r12 %#lx r13 %#lx after sigreturn\n", r12_after, r13_after);
	return 0;
}
