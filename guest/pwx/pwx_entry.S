/*
 * pwx_entry.S: the page-walk experiment's access instructions (guest/pwx.c).
 *
 * Supervisor accesses: each function returns 0 in RAX, or 1 when the
 * access faulted.  A faulting access is skipped by the trap hook
 * (pwx_trap), which knows the address of each access instruction
 * (pwx_k*_insn) and where to resume (pwx_k*_fix) with RAX = 1.  A faulting
 * fetch has RIP = the target itself; the hook then emulates the `ret` the
 * target page holds (pop the return address, RAX = 1).
 *
 * User accesses: pwx_user_run enters ring 3 with iretq, at one of the
 * three entry points of the user stub (copied to a user page), and comes
 * back at pwx_user_back once the hook has turned the user's trap (the
 * stub's `int $0x80`, or the access's #PF) into an iretq to here.
 */
/* Selectors of guest/gdt.h (pwx.c asserts they still match). */
#define PWX_SEL_UDATA 0x1b
#define PWX_SEL_UCODE 0x23

#include "guest/trapstub.h"

	.text

/*
 * The experiment's own trap entries, loaded as the IDT while it runs:
 * every trap saves a whole frame and goes to pwx_trap_entry (pwx.c),
 * which takes the experiment's own and hands the rest to the kernel.
 */
.irp n, TRAP_VECTORS
	TRAP_STUB \n, pwx_vec, pwx_trap_common
.endr
	TRAP_COMMON pwx_trap_common, pwx_trap_entry, pwx_trapret
	TRAP_TABLE pwx_trap_stubs, pwx_vec

/* int pwx_kread(uint64_t va) */
	.globl pwx_kread, pwx_kread_insn, pwx_kread_fix
pwx_kread:
	xorl	%eax, %eax
pwx_kread_insn:
	movb	(%rdi), %cl
pwx_kread_fix:
	ret

/* int pwx_kwrite(uint64_t va): stores 0xc3, the byte already there */
	.globl pwx_kwrite, pwx_kwrite_insn, pwx_kwrite_fix
pwx_kwrite:
	xorl	%eax, %eax
pwx_kwrite_insn:
	movb	$0xc3, (%rdi)
pwx_kwrite_fix:
	ret

/* int pwx_kfetch(uint64_t va): calls the `ret` byte at va */
	.globl pwx_kfetch
pwx_kfetch:
	xorl	%eax, %eax
	call	*%rdi
	ret

/*
 * void pwx_user_run(uint64_t rip, uint64_t rsp, uint64_t va)
 * Ring 3 at rip with stack rsp, RDI = va, interrupts off.  Callee-saved
 * registers are kept on this stack; pwx_saved_rsp finds them again.
 */
	.globl pwx_user_run, pwx_user_back
pwx_user_run:
	PUSH_CALLEE_SAVED
	movq	%rsp, pwx_saved_rsp(%rip)
	pushq	$PWX_SEL_UDATA
	pushq	%rsi
	pushq	$0x2			/* RFLAGS: IF clear */
	pushq	$PWX_SEL_UCODE
	pushq	%rdi
	movq	%rdx, %rdi
	xorl	%eax, %eax
	iretq
pwx_user_back:
	movq	pwx_saved_rsp(%rip), %rsp
	POP_CALLEE_SAVED
	ret

/*
 * The user stub: three 16-byte entry points (read, write, fetch), each the
 * access then `int $0x80`.  Copied byte for byte to the stub page.
 */
	.section .rodata
	.globl pwx_ustub, pwx_ustub_end
	.balign 16
pwx_ustub:
	movb	(%rdi), %al
	int	$0x80
	.balign 16, 0x90
	movb	$0xc3, (%rdi)
	int	$0x80
	.balign 16, 0x90
	call	*%rdi
	int	$0x80
	.balign 16, 0x90
pwx_ustub_end:

	.bss
	.balign 8
	.globl pwx_saved_rsp
pwx_saved_rsp:
	.quad	0
