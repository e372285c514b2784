/* sig_fpu: the SSE state is the interrupted code's again after a handler
 * that changed it (an XMM register, MXCSR's rounding); the handler
 * starts with the default MXCSR. */
#include "diff.h"
#include <sys/ucontext.h>

static volatile unsigned handler_mxcsr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	unsigned m = 0x7f80;    /* round toward zero */
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	__asm__ volatile("movq $-1, %%rax\n\tmovq %%rax, %%xmm8\n\tldmxcsr %0"
			 : : "m"(m) : "rax", "xmm8");
	uc->uc_mcontext.gregs[REG_RIP] += 3;    /* skip the load */
}

int main(void)
{
	struct sigaction sa;
	unsigned long long x8;
	unsigned mx;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	show("sigaction", sigaction(SIGSEGV, &sa, NULL));
	__asm__ volatile("movq $0x1122334455667788, %%rax\n\t"
			 "movq %%rax, %%xmm8\n\t"
			 "movq $8, %%rdi\n\t"
			 ".byte 0x48, 0x8b, 0x07\n\t"   /* movq (%rdi), %rax */
			 "movq %%xmm8, %0\n\t"
			 "stmxcsr %1"
			 : "=r"(x8), "=m"(mx) : : "rax", "rdi", "xmm8", "memory");
	printf("handler's MXCSR %#x\n", handler_mxcsr);
	printf("xmm8 %#llx, MXCSR %#x after sigreturn\n", x8, mx);
	return 0;
}
