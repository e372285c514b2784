/* sys_proc.c: process system calls. */
#include "proc.h"
#include "sched.h"
#include "syscall.h"

int64_t sys_exit(struct trapframe *tf)
{
	proc_exit(proc_current(), PROC_STATUS_EXITED((int)tf->rdi));
}

int64_t sys_getpid(struct trapframe *tf)
{
	(void)tf;
	return proc_current()->pid;
}

int64_t sys_getppid(struct trapframe *tf)
{
	(void)tf;
	return proc_current()->ppid;
}

int64_t sys_sched_yield(struct trapframe *tf)
{
	(void)tf;
	sched_yield();
	return 0;
}
