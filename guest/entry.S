/*
 * entry.S: the kernel's first instructions.  The VMM enters here in 64-bit
 * mode on its boot page tables (guest/abi.h), RDI = GPA of the boot info.
 */
#include "abi.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	/* Tell the VMM we are running: it timestamps the first instruction. */
	movb	$MARK_KERNEL_ENTRY, %al
	movw	$ABI_MARK_PORT, %dx
	outb	%al, %dx

	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	call	kmain
1:	cli
	hlt
	jmp	1b

	.section .bss
	.balign 16
boot_stack:
	.space	16384
boot_stack_top:
