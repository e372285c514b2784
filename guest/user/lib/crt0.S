/*
 * crt0.S: process entry.
 *
 * The kernel enters _start with the SysV x86-64 initial stack:
 *   (%rsp) argc, 8(%rsp) argv[0..argc-1], NULL, envp..., NULL, auxv...
 * rsp 16-byte aligned, all other registers zero.  We hand argc, argv and
 * envp to libc_start (C), which never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl	%ebp, %ebp		/* outermost frame for backtraces */
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	leaq	16(%rsp,%rdi,8), %rdx	/* envp = argv + argc + 1 */
	andq	$-16, %rsp		/* already aligned; be robust */
	call	libc_start
	ud2
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
