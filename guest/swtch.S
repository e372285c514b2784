/*
 * swtch.S: switch kernel stacks (xv6's swtch).
 *
 * void swtch(uint64_t *old_sp, uint64_t new_sp)
 *
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *old_sp, loads new_sp and pops the next context's registers.
 * Everything else was saved by the C caller (System V ABI).
 */
#include "guest/trapstub.h"

	.text
	.globl swtch
swtch:
	PUSH_CALLEE_SAVED
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	POP_CALLEE_SAVED
	ret
