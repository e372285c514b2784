/*
 * sys_mm.c: the address-space system calls, thin wrappers over mm/mmap.c
 * (which has the Linux semantics); a file mapping is of an open
 * boot-image file, through the page cache.
 */
#include "file.h"
#include "memlayout.h"
#include "mm/mmap.h"
#include "mm/pte.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

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
	if (!file_mm_file(f))
		return -ENODEV;         /* a pipe, the console, /proc */
	/* the kernel's own flag bit: a program's is an unknown flag */
	if (flags & MM_MAP_FD_READONLY) {
		if ((flags & MM_MAP_TYPE) == MM_MAP_SHARED_VALIDATE)
			return -EOPNOTSUPP;
		flags &= ~MM_MAP_FD_READONLY;
	}
	if ((f->flags & 3) != 2)
		flags |= MM_MAP_FD_READONLY;
	return mm_mmap_file(proc_current()->mm, addr, len, prot, flags,
			    file_mm_file(f), off);
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

int64_t sys_mremap(struct trapframe *tf)
{
	return mm_mremap(proc_current()->mm, tf->rdi, tf->rsi, tf->rdx,
			 (int)tf->r10, tf->r8);
}

int64_t sys_msync(struct trapframe *tf)
{
	return mm_msync(proc_current()->mm, tf->rdi, tf->rsi, (int)tf->rdx);
}

/* mincore: a page of answers at a time into the user's vector. */
int64_t sys_mincore(struct trapframe *tf)
{
	uint64_t addr = tf->rdi, len = tf->rsi, npages, done = 0;
	uint8_t *uvec = (uint8_t *)tf->rdx, vec[512];

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (len > USER_END)
		return -ENOMEM;
	npages = (len + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!uaccess_range_ok(uvec, npages))
		return -EFAULT;
	while (done < npages) {
		uint64_t k = npages - done < sizeof(vec) ? npages - done :
			     sizeof(vec);
		int r = mm_mincore(proc_current()->mm, addr + done * PAGE_SIZE,
				   k, vec);

		if (r)
			return r;
		if (copy_to_user(uvec + done, vec, k))
			return -EFAULT;
		done += k;
	}
	return 0;
}

int64_t sys_madvise(struct trapframe *tf)
{
	return mm_madvise(proc_current()->mm, tf->rdi, tf->rsi, (int)tf->rdx);
}

/* mlock, mlock2, munlock, mlockall, munlockall: nothing is ever paged
 * out, so locking means faulting in (mm_mlock); the lock itself is not
 * recorded (VmLck stays 0). */
#define MLOCK_ONFAULT 1
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4

int64_t sys_mlock(struct trapframe *tf)
{
	return mm_mlock(proc_current()->mm, tf->rdi, tf->rsi, true);
}

int64_t sys_mlock2(struct trapframe *tf)
{
	if (tf->rdx & ~(uint64_t)MLOCK_ONFAULT)
		return -EINVAL;
	return mm_mlock(proc_current()->mm, tf->rdi, tf->rsi,
			!(tf->rdx & MLOCK_ONFAULT));
}

int64_t sys_munlock(struct trapframe *tf)
{
	return mm_mlock(proc_current()->mm, tf->rdi, tf->rsi, false);
}

int64_t sys_mlockall(struct trapframe *tf)
{
	int flags = (int)tf->rdi;
	struct mm *mm = proc_current()->mm;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if ((flags & MCL_CURRENT) && !(flags & MCL_ONFAULT))
		for (struct vma *v = mm->vmas.head; v; v = v->next)
			if (v->prot & (VMA_READ | VMA_WRITE))
				mm_mlock(mm, v->start, v->end - v->start, true);
	return 0;
}

int64_t sys_munlockall(struct trapframe *tf)
{
	(void)tf;
	return 0;
}
