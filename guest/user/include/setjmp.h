/*
 * setjmp.h: non-local jumps.  sigsetjmp(env, 1) also saves the blocked
 * signal mask, which siglongjmp restores: the way out of a SIGSEGV
 * handler (the mask blocks SIGSEGV while it runs).
 */
#ifndef _SETJMP_H
#define _SETJMP_H

#include <signal.h>

struct __jmp_buf_tag {
	unsigned long __regs[8];        /* rbx rbp r12 r13 r14 r15 rsp rip */
	int __mask_saved;
	sigset_t __mask;
};
typedef struct __jmp_buf_tag jmp_buf[1];
typedef struct __jmp_buf_tag sigjmp_buf[1];

int setjmp(jmp_buf env) __attribute__((returns_twice));
int _setjmp(jmp_buf env) __attribute__((returns_twice));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((returns_twice));
__attribute__((noreturn)) void longjmp(jmp_buf env, int val);
__attribute__((noreturn)) void _longjmp(jmp_buf env, int val);
__attribute__((noreturn)) void siglongjmp(sigjmp_buf env, int val);

#endif /* _SETJMP_H */
