/*
 * sigframe.h: the user-visible signal structures, in Linux x86-64's
 * layouts (arch/x86/include/uapi/asm/sigcontext.h, signal.h,
 * ucontext.h; include/uapi/asm-generic/siginfo.h).  A program built for
 * Linux reads them with its own headers' definitions, so every offset
 * here is Linux's.
 */
#ifndef SIGFRAME_H
#define SIGFRAME_H

#include <stdint.h>

/* rt_sigaction's struct sigaction (the kernel's, not glibc's). */
struct k_sigaction {
	uint64_t handler;       /* SIG_DFL 0, SIG_IGN 1, or a function */
	uint64_t flags;         /* SA_* */
	uint64_t restorer;      /* SA_RESTORER: where the handler returns */
	uint64_t mask;          /* blocked while the handler runs */
};

#define SIG_DFL        0
#define SIG_IGN        1

#define SA_SIGINFO     0x00000004
#define SA_RESTORER    0x04000000
#define SA_ONSTACK     0x08000000
#define SA_RESTART     0x10000000
#define SA_NODEFER     0x40000000
#define SA_RESETHAND   0x80000000

/* stack_t */
struct k_stack {
	uint64_t ss_sp;
	int32_t  ss_flags;      /* SS_ONSTACK, SS_DISABLE */
	int32_t  pad;
	uint64_t ss_size;
};

#define SS_ONSTACK     1
#define SS_DISABLE     2
#define MINSIGSTKSZ    2048

/* struct sigcontext: the interrupted registers. */
struct k_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;       /* user address of the fxsave image, or 0 */
	uint64_t reserved1[8];
};

struct k_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct k_stack uc_stack;
	struct k_sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

#define UC_SIGCONTEXT_SS 0x2

/* siginfo_t: 128 bytes; the fields the kernel fills. */
struct k_siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		uint64_t addr;                          /* SIGSEGV, SIGBUS */
		struct { int32_t pid; uint32_t uid; } kill;  /* kill() */
	};
	uint8_t rest[128 - 24];
};

#define SI_USER        0
#define SEGV_MAPERR    1
#define SEGV_ACCERR    2
#define BUS_ADRERR     2

/* What the handler's stack holds, lowest address first; the handler is
 * entered as if called from pretcode (the restorer). */
struct rt_sigframe {
	uint64_t pretcode;
	struct k_ucontext uc;
	struct k_siginfo info;
};

_Static_assert(sizeof(struct k_sigcontext) == 256, "sigcontext layout");
_Static_assert(sizeof(struct k_ucontext) == 304, "ucontext layout");
_Static_assert(sizeof(struct k_siginfo) == 128, "siginfo layout");
_Static_assert(sizeof(struct k_stack) == 24, "stack_t layout");

#endif /* SIGFRAME_H */
