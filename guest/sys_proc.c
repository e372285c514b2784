/* sys_proc.c: process system calls. */
#include "cmdline.h"
#include "hcall.h"
#include "inject.h"
#include "kstring.h"
#include "mm/mm.h"
#include "proc.h"
#include "sched.h"
#include "sys_res.h"
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
	int64_t deadline, now;

	if (copy_from_user(&ts, (const void *)tf->rdi, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000 ||
	    ts.sec > (int64_t)(UINT64_MAX / 1000000000 / 2))
		return -EINVAL;
	ns = (uint64_t)ts.sec * 1000000000 + (uint64_t)ts.nsec;
	if (ns == 0) {
		sched_yield();
		return 0;
	}
	/* at least the time asked, by the host's clock: sleep in ticks
	 * until it has passed (a tick already begun counts for nothing) */
	now = hcall(HC_CLOCK, HC_CLOCK_MONOTONIC, 0, 0);
	deadline = now + (int64_t)ns;
	while (now < deadline) {
		sched_sleep(((uint64_t)(deadline - now) + tick_ns - 1) / tick_ns);
		now = hcall(HC_CLOCK, HC_CLOCK_MONOTONIC, 0, 0);
		if (now < deadline && sig_interrupting(proc_current())) {
			uint64_t left = (uint64_t)(deadline - now);

			ts.sec = (int64_t)(left / 1000000000);
			ts.nsec = (int64_t)(left % 1000000000);
			if (tf->rsi &&
			    copy_to_user((void *)tf->rsi, &ts, sizeof(ts)))
				return -EFAULT;
			return -EINTR;
		}
	}
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
		if ((child->files[fd] = parent->files[fd])) {
			file_get(child->files[fd]);
			child->fd_cloexec[fd] = parent->fd_cloexec[fd];
		}
	sched_fpu_save(parent);
	memcpy(child->fpu, parent->fpu, sizeof(child->fpu));
	child->sig = parent->sig;
	child->sig.pending = 0;         /* as on Linux: nothing inherited */
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
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
 * WNOHANG; rusage gets the child's (sys_res.c).  Linux's status encoding.
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
			if (tf->r10 && res_copy_child_usage((void *)tf->r10, c))
				return -EFAULT;
			res_reap(self, c);
			proc_free(c);
			return cpid;
		}
		if (!have)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		self->state = P_WAITING;
		sched_switch();
		if (sig_interrupting(self))
			return -ERESTARTSYS;    /* restarted or EINTR (sig.c) */
	}
}

/*
 * kill: queue sig for pid (sig.c); signal 0 only checks that pid exists
 * (a zombie does).  pid must name one process: process groups (pid <= 0)
 * do not exist here.
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
	if (sig)
		sig_send(p, sig, proc_current()->pid);
	return 0;
}
