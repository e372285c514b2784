/*
 * swtch.S: switch kernel stacks (xv6's swtch).
 *
 * void swtch(uint64_t *old_sp, uint64_t new_sp)
 *
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *old_sp, loads new_sp and pops the next context's registers.
 * Everything else was saved by the C caller (System V ABI).
 */
	.text
	.globl swtch
swtch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
