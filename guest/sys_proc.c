/* sys_proc.c: process system calls. */
#include "cmdline.h"
#include "hcall.h"
#include "inject.h"
#include "kstring.h"
#include "mm/mm.h"
#include "proc.h"
#include "sched.h"
#include "signo.h"
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

/*
 * fork: the child is a copy of the caller with a copy-on-write copy of its
 * address space (mm_fork), the same user registers except rax = 0, and
 * the same FPU/SSE state.
 */
int64_t sys_fork(struct trapframe *tf)
{
	struct proc *parent = proc_current(), *child;

	child = proc_alloc(parent->name, parent->pid);
	if (!child)
		return -EAGAIN;
	child->mm = mm_fork(parent->mm);
	if (!child->mm) {
		proc_free(child);
		return -ENOMEM;
	}
	mm_set_owner(child->mm, child->pid, child->name);
	*child->tf = *tf;
	child->tf->rax = 0;
	for (int fd = 0; fd < NOFILE; fd++)
		if ((child->files[fd] = parent->files[fd]))
			file_get(child->files[fd]);
	sched_fpu_save(parent);
	memcpy(child->fpu, parent->fpu, sizeof(child->fpu));
	hcall(HC_AS_CREATE, (uint64_t)child->pid, (uint64_t)parent->pid,
	      mm_root(child->mm));
	inject_fork(parent, child);
	child->state = P_RUNNABLE;
	return child->pid;
}

#define WNOHANG 1

static int wait_matches(const struct proc *c, int parent, int64_t pid)
{
	return c->state != P_UNUSED && c->ppid == parent &&
	       (pid == -1 || c->pid == pid);
}

/*
 * wait4(pid, status, options, rusage): pid -1 (any child) or a child's pid;
 * WNOHANG; rusage is not filled.  Linux's status encoding.
 */
int64_t sys_wait4(struct trapframe *tf)
{
	struct proc *self = proc_current();
	int64_t pid = (int32_t)tf->rdi;
	int *ustatus = (int *)tf->rsi;
	int options = (int)tf->rdx;

	if (pid < -1 || pid == 0)
		return -EINVAL;       /* process groups do not exist here */
	if (options & ~WNOHANG)
		return -EINVAL;
	for (;;) {
		int have = 0;

		for (struct proc *c = proc_table; c < proc_table + NPROC; c++) {
			if (!wait_matches(c, self->pid, pid))
				continue;
			have = 1;
			if (c->state != P_ZOMBIE)
				continue;
			int cpid = c->pid;

			if (ustatus && copy_to_user(ustatus, &c->status, sizeof(int)))
				return -EFAULT;
			proc_free(c);
			return cpid;
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		self->state = P_WAITING;
		sched_switch();
		if (self->killed)
			return -EINTR;  /* it dies on the way out (trap.c) */
	}
}

/*
 * kill: signals have only their default actions here (no handlers yet).
 * Signal 0 checks that pid exists; SIGCHLD, SIGCONT, SIGURG and SIGWINCH
 * are ignored by default, as on Linux, and so are the stop signals (no
 * job control); every other signal ends the target as if by that signal
 * (status 128 + sig to a shell).  A target in the kernel dies on its way
 * back to user mode; a sleeping or waiting one is woken for that.  pid
 * must name one process: process groups (pid <= 0) do not exist here.
 */
int64_t sys_kill(struct trapframe *tf)
{
	int64_t pid = (int32_t)tf->rdi;
	int sig = (int)tf->rsi;
	struct proc *p;

	if (sig < 0 || sig > 64 || pid <= 0)
		return -EINVAL;
	p = proc_find((int)pid);
	if (!p)
		return -ESRCH;
	switch (sig) {
	case 0:
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 0;
	}
	if (p->state == P_ZOMBIE || p->killed)
		return 0;
	p->killed = sig;
	sched_wake_killed(p);
	return 0;
}
