/* sys_proc.c: process system calls. */
#include "cmdline.h"
#include "proc.h"
#include "sched.h"
#include "syscall.h"
#include "uaccess.h"

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

/*
 * nanosleep: sleeps in whole scheduler ticks (quantum= ms), rounded up;
 * never interrupted, so rem is left alone.  A zero request just yields.
 */
int64_t sys_nanosleep(struct trapframe *tf)
{
	struct { int64_t sec, nsec; } ts;
	uint64_t ns, tick_ns = (uint64_t)kopts.quantum_ms * 1000000;

	if (copy_from_user(&ts, (const void *)tf->rdi, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000 ||
	    ts.sec > (int64_t)(UINT64_MAX / 1000000000 / 2))
		return -EINVAL;
	ns = (uint64_t)ts.sec * 1000000000 + (uint64_t)ts.nsec;
	if (ns == 0)
		sched_yield();
	else
		sched_sleep((ns + tick_ns - 1) / tick_ns);
	return 0;
}
