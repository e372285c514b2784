/*
 * sys/ucontext.h: the context a SA_SIGINFO handler gets as its third
 * argument, Linux x86-64's layout (glibc's names for the registers).
 */
#ifndef _SYS_UCONTEXT_H
#define _SYS_UCONTEXT_H

#include <signal.h>

enum {
	REG_R8 = 0, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14,
	REG_R15, REG_RDI, REG_RSI, REG_RBP, REG_RBX, REG_RDX, REG_RAX,
	REG_RCX, REG_RSP, REG_RIP, REG_EFL, REG_CSGSFS, REG_ERR, REG_TRAPNO,
	REG_OLDMASK, REG_CR2,
};
#define NGREG 23

typedef long long greg_t;
typedef greg_t gregset_t[NGREG];

typedef struct {
	gregset_t gregs;
	void *fpregs;                   /* the fxsave image */
	unsigned long long __reserved1[8];
} mcontext_t;

typedef struct ucontext_t {
	unsigned long uc_flags;
	struct ucontext_t *uc_link;
	stack_t uc_stack;
	mcontext_t uc_mcontext;
	sigset_t uc_sigmask;
} ucontext_t;

#endif /* _SYS_UCONTEXT_H */
