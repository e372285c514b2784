/*
 * trapentry.S: entry stubs for every vector the kernel handles, and the common
 * save/restore around the C dispatcher trap().  The frame is struct
 * trapframe (guest/trapframe.h).
 *
 * The kernel runs with interrupts off (all gates are interrupt gates), on
 * one CPU, and keeps no per-CPU data in GS, so there is no swapgs.
 */
#include "guest/trapstub.h"

	.text

.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,128,255
	TRAP_STUB \n, trap_vec, trap_common
.endr

/*
 * #PF, the hot path: every kernel instruction is emulated on some hosts
 * (PLATFORM.md), so only the caller-saved registers are saved.  The C
 * handler trap_pf preserves rbx, rbp and r12-r15 as the ABI requires, so
 * they still hold the interrupted values at the iretq.  Their slots in the
 * frame are left unfilled (stale stack contents): the frame has struct
 * trapframe's layout, but nothing may read or change those six fields of
 * a #PF frame.  Offsets are struct trapframe's (trapframe.h).
 */
	.globl trap_vec14
trap_vec14:
	pushq	$14			/* vector; the CPU pushed the error code */
	subq	$120, %rsp		/* r15 .. rax */
	movq	%rax, 112(%rsp)
	movq	%rcx, 96(%rsp)
	movq	%rdx, 88(%rsp)
	movq	%rsi, 80(%rsp)
	movq	%rdi, 72(%rsp)
	movq	%r8, 56(%rsp)
	movq	%r9, 48(%rsp)
	movq	%r10, 40(%rsp)
	movq	%r11, 32(%rsp)
	cld
	movq	%rsp, %rdi
	call	trap_pf
	testl	%eax, %eax
	jnz	pf_signal
	movq	32(%rsp), %r11
	movq	40(%rsp), %r10
	movq	48(%rsp), %r9
	movq	56(%rsp), %r8
	movq	72(%rsp), %rdi
	movq	80(%rsp), %rsi
	movq	88(%rsp), %rdx
	movq	96(%rsp), %rcx
	movq	112(%rsp), %rax
	addq	$136, %rsp		/* registers, vector, error */
	iretq

/*
 * A handler takes the fault's signal: its frame on the user stack needs
 * every register.  trap_pf kept rbx, rbp and r12-r15 as the ABI requires,
 * so they still hold the user's values: store them, and leave through
 * trapret, which restores the whole (now changed) frame.
 */
pf_signal:
	movq	%r15, 0(%rsp)
	movq	%r14, 8(%rsp)
	movq	%r13, 16(%rsp)
	movq	%r12, 24(%rsp)
	movq	%rbp, 64(%rsp)
	movq	%rbx, 104(%rsp)
	movq	%rsp, %rdi
	call	sig_deliver_fault
	jmp	trapret

/* A new process starts at trapret too: its kernel stack holds a trapframe. */
	TRAP_COMMON trap_common, trap, trapret

/* The IDT is filled from this table: (vector, stub) pairs, 0-terminated. */
	TRAP_TABLE trap_stubs, trap_vec
