/*
 * sys_mm.c: the address-space system calls, thin wrappers over mm/mmap.c
 * (which has the Linux semantics).  Only anonymous mappings exist until
 * the page cache does; a file mapping asks for an fd we cannot have.
 */
#include "mm/mmap.h"
#include "mm/pte.h"
#include "proc.h"
#include "syscall.h"

int64_t sys_mmap(struct trapframe *tf)
{
	uint64_t addr = tf->rdi, len = tf->rsi, off = tf->r9;
	int prot = (int)tf->rdx, flags = (int)tf->r10;

	if (!PG_ALIGNED(off))
		return -EINVAL;
	if (!(flags & MM_MAP_ANONYMOUS))
		return -EBADF;
	return mm_mmap(proc_current()->mm, addr, len, prot, flags);
}

int64_t sys_munmap(struct trapframe *tf)
{
	return mm_munmap(proc_current()->mm, tf->rdi, tf->rsi);
}

int64_t sys_mprotect(struct trapframe *tf)
{
	return mm_mprotect(proc_current()->mm, tf->rdi, tf->rsi, (int)tf->rdx);
}

int64_t sys_brk(struct trapframe *tf)
{
	return (int64_t)mm_brk(proc_current()->mm, tf->rdi);
}

int64_t sys_madvise(struct trapframe *tf)
{
	return mm_madvise(proc_current()->mm, tf->rdi, tf->rsi, (int)tf->rdx);
}
