/*
 * sig_hostile: signal frames a hostile program makes bad.  Each case runs
 * in a child that must end with SIGSEGV (the kernel refuses the frame and
 * kills the process) or exit 0 (the kernel sanitized what it took back);
 * the kernel must never panic.  Prints "sig_hostile: CASE: signal 11" or
 * "exit 0" per case, then "sig_hostile: done".
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

static void nothing(int sig)
{
	(void)sig;
}

/* rt_sigreturn with the stack pointer in unmapped memory. */
static void sigreturn_unmapped(void)
{
	__asm__ volatile("movq $0x10000, %%rsp\n\t"
			 "movl $15, %%eax\n\t"
			 "int $0x80" : : : "memory");
}

/* rt_sigreturn on a stack of garbage (0xff bytes): rip non-canonical. */
static void sigreturn_garbage(void)
{
	static char junk[4096] __attribute__((aligned(16)));

	memset(junk, 0xff, sizeof(junk));
	__asm__ volatile("movq %0, %%rsp\n\t"
			 "movl $15, %%eax\n\t"
			 "int $0x80" : : "r"(junk + 2048) : "memory");
}

/* A handled signal while rsp points at nothing: no room for the frame. */
static void deliver_on_bad_stack(void)
{
	signal(SIGUSR1, nothing);
	__asm__ volatile("movq %%rsp, %%rbx\n\t"
			 "movq $0x10000, %%rsp\n\t"
			 "movl $62, %%eax\n\t"         /* kill(getpid(), SIGUSR1) */
			 "movl %0, %%edi\n\t"
			 "movl $10, %%esi\n\t"
			 "int $0x80\n\t"
			 "movq %%rbx, %%rsp"
			 : : "r"(getpid()) : "rax", "rbx", "rdi", "rsi", "memory");
}

/* SA_ONSTACK with an alternate stack in unmapped memory. */
static void altstack_unmapped(void)
{
	stack_t ss = { .ss_sp = (void *)0x10000, .ss_size = 65536 };
	struct sigaction sa;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = nothing;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
}

/* The handler points the frame's FPU image at nothing. */
static void bad_fpstate_handler(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)si;
	((ucontext_t *)ctx)->uc_mcontext.fpregs = (void *)0x10000;
}

/* The handler sets every MXCSR bit (reserved ones would #GP fxrstor) and
 * every rflags bit but TF and AC (those two a program may set, and would
 * trap): IOPL, VM, NT, clearing IF... the kernel must mask them. */
static void wild_bits_handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	((unsigned *)uc->uc_mcontext.fpregs)[6] = 0xffffffff;  /* MXCSR */
	uc->uc_mcontext.gregs[REG_EFL] = ~(0x100LL | 0x40000LL);
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0;  /* cs 0: kept from the trap */
}

static void with_handler(void (*h)(int, siginfo_t *, void *))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
}

static void bad_fpstate(void)
{
	with_handler(bad_fpstate_handler);
}

static void wild_bits(void)
{
	unsigned mx;

	with_handler(wild_bits_handler);
	__asm__ volatile("stmxcsr %0" : "=m"(mx));
	_exit(mx == 0xffbf ? 0 : 1);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "sigreturn_unmapped", sigreturn_unmapped },
	{ "sigreturn_garbage", sigreturn_garbage },
	{ "deliver_on_bad_stack", deliver_on_bad_stack },
	{ "altstack_unmapped", altstack_unmapped },
	{ "bad_fpstate", bad_fpstate },
	{ "wild_bits", wild_bits },
};

int main(void)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = 0;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			cases[i].fn();
			_exit(0);
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st))
			printf("sig_hostile: %s: exit %d\n", cases[i].name,
			       WEXITSTATUS(st));
		else
			printf("sig_hostile: %s: signal %d\n", cases[i].name,
			       WTERMSIG(st));
	}
	printf("sig_hostile: done\n");
	return 0;
}
