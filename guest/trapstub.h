/*
 * trapstub.h: assembler macros for trap entry stubs and the common
 * save/restore around a C handler, shared by the kernel's IDT
 * (trapentry.S) and the page-walk experiment's own (pwx/pwx_entry.S),
 * and the callee-saved register set of a kernel context (swtch.S).
 * The frame they build is struct trapframe (trapframe.h).
 */
#ifndef GUEST_TRAPSTUB_H
#define GUEST_TRAPSTUB_H
#ifdef __ASSEMBLY__

/* The System V callee-saved registers, saved on the stack and restored in
 * reverse: a kernel context as swtch.S and pwx_entry.S keep it. */
.macro PUSH_CALLEE_SAVED
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

.macro POP_CALLEE_SAVED
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
.endm

/* The vectors with a stub; #PF (14) is listed too, see trapentry.S. */
#define TRAP_VECTORS 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,128,255

/* Stub prefix\n for vector n: push a 0 error code where the CPU pushes
 * none (Intel SDM vol. 3, 6.13), the vector, and go to common. */
.macro TRAP_STUB n, prefix, common
	.globl \prefix\n
\prefix\n:
	.if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq	$0
	.endif
	pushq	$\n
	jmp	\common
.endm

/* name: save every register (a whole struct trapframe), call handler
 * with it, restore, iret.  ret is a global label at the restore, where a
 * new process can start from a prepared frame. */
.macro TRAP_COMMON name, handler, ret
\name:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi
	call	\handler
	.globl \ret
\ret:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error */
	iretq
.endm

/* The table an IDT is filled from: (vector, prefix\n) pairs, 0-ended. */
.macro TRAP_TABLE name, prefix
	.section .rodata
	.balign 8
	.globl \name
\name:
.irp n, TRAP_VECTORS
	.quad	\n, \prefix\n
.endr
	.quad	0, 0
	.text
.endm

#endif /* __ASSEMBLY__ */
#endif /* GUEST_TRAPSTUB_H */
