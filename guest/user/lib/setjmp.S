/*
 * setjmp.S: the register halves of setjmp/sigsetjmp and longjmp
 * (struct __jmp_buf_tag in setjmp.h: rbx rbp r12 r13 r14 r15 rsp rip),
 * and __restore_rt, where every signal handler returns: rt_sigreturn.
 */
	.text

/* int sigsetjmp(sigjmp_buf env, int savemask) */
	.globl sigsetjmp
sigsetjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* rsp after our return */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* our return address */
	movq	%rdx, 56(%rdi)
	jmp	__sigsetjmp_mask	/* saves the mask if asked; returns 0 */

/* int setjmp(jmp_buf env), _setjmp: no mask (as glibc's setjmp) */
	.globl setjmp
	.globl _setjmp
setjmp:
_setjmp:
	xorl	%esi, %esi
	jmp	sigsetjmp

/* void __longjmp(struct __jmp_buf_tag *env, int val): val != 0 */
	.globl __longjmp
__longjmp:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	movl	%esi, %eax
	jmpq	*56(%rdi)

/* The restorer sigaction installs: the handler's return lands here. */
	.globl __restore_rt
__restore_rt:
	movl	$15, %eax		/* SYS_rt_sigreturn */
#ifdef SYSRAW_TRAP_SYSCALL
	syscall				/* the libc built for Linux (sysraw.h) */
#else
	int	$0x80
#endif
	ud2				/* not reached */

	.section .note.GNU-stack,"",@progbits
