/*
 * uaccess_copy.S: the only kernel code that touches user addresses.
 *
 * uint64_t uaccess_copy(void *dst, const void *src, uint64_t n)
 *
 * Copies n bytes with one `rep movsb` (a single emulated instruction on a
 * software-virtualized host).  If it faults on a user address, the page
 * fault handler first tries to resolve the fault (demand paging) and lets
 * the instruction restart; if the address is bad it resumes at
 * uaccess_fault instead, and the function returns the number of bytes NOT
 * copied.  Returns 0 on success.  Callers check ranges (uaccess.h).
 */
	.text
	.globl uaccess_copy, uaccess_insn, uaccess_fault
uaccess_copy:
	movq	%rdx, %rcx
uaccess_insn:
	rep movsb
uaccess_fault:
	movq	%rcx, %rax
	ret
