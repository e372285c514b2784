/*
 * sys_mm.c: the address-space system calls, thin wrappers over mm/mmap.c
 * (which has the Linux semantics); a file mapping is of an open
 * boot-image file, through the page cache.
 */
#include "file.h"
#include "mm/mmap.h"
#include "mm/pte.h"
#include "proc.h"
#include "syscall.h"

int64_t sys_mmap(struct trapframe *tf)
{
	uint64_t addr = tf->rdi, len = tf->rsi, off = tf->r9;
	int prot = (int)tf->rdx, flags = (int)tf->r10;

	struct file *f;

	if (!PG_ALIGNED(off))
		return -EINVAL;
	if (flags & MM_MAP_ANONYMOUS)
		return mm_mmap(proc_current()->mm, addr, len, prot, flags);
	f = file_of_fd((int)tf->r8);
	if (!f)
		return -EBADF;
	/* Linux: a shared writable mapping needs a descriptor open for
	   writing; any mapping needs one open for reading. */
	if ((f->flags & 3) == 1 ||
	    ((flags & MM_MAP_TYPE) == MM_MAP_SHARED && (prot & MM_PROT_WRITE) &&
	     (f->flags & 3) != 2))
		return -EACCES;
	return mm_mmap_file(proc_current()->mm, addr, len, prot, flags, f->mf,
			    off);
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
