/*
 * sig.c: signal generation, delivery, handlers and sigreturn (sig.h).
 *
 * The frame a handler runs on is Linux's rt_sigframe (sigframe.h): from
 * the interrupted stack pointer, below the 128-byte red zone (or from
 * the top of the alternate stack), first the 512-byte fxsave image of
 * the FPU/SSE state, 64-aligned, then the frame, placed so that the
 * handler starts with rsp + 8 16-aligned, as after a call.  The handler
 * gets rdi = signal, rsi = &info, rdx = &uc and "returns" to the
 * restorer, which calls rt_sigreturn.
 */
#include <stdbool.h>
#include <stddef.h>
#include "console.h"
#include "kstring.h"
#include "proc.h"
#include "sched.h"
#include "sig.h"
#include "signo.h"
#include "syscall.h"
#include "trap.h"
#include "uaccess.h"
#include "x86.h"

#define SIG_UNBLOCKABLE (sig_bit(SIGKILL) | sig_bit(SIGSTOP))
#define FXSAVE_SIZE     512
#define FXSAVE_MXCSR    24              /* byte offset in the image */
#define MXCSR_VALID     0xffbfu         /* bits fxrstor accepts (no DAZ) */
#define RED_ZONE        128

/* rflags bits a frame may change (Linux's FIX_EFLAGS): AC OF DF TF SF
 * ZF AF PF CF RF; IF and IOPL are never the user's to set. */
#define RFLAGS_USER_MASK 0x50dd5ULL
#define RFLAGS_TF        (1ULL << 8)
#define RFLAGS_DF        (1ULL << 10)
#define RFLAGS_RF        (1ULL << 16)

/* The lower canonical half: an iretq to anything else would fault in
 * the kernel. */
#define USER_CANONICAL_END (1ULL << 47)

void sig_init(struct sigstate *s)
{
	memset(s, 0, sizeof(*s));
	s->altstack.ss_flags = SS_DISABLE;
}

void sig_exec_reset(struct sigstate *s)
{
	for (int i = 0; i < NSIG_LINUX; i++) {
		struct k_sigaction *a = &s->action[i];
		int ignored = a->handler == SIG_IGN;

		memset(a, 0, sizeof(*a));
		if (ignored)
			a->handler = SIG_IGN;
	}
	s->altstack = (struct k_stack){ .ss_flags = SS_DISABLE };
	s->fault_sig = 0;
}

/* Linux's default actions: these are ignored; the stop signals too,
 * since there is no job control; every other signal ends the process. */
static int default_ignored(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return 1;
	}
	return 0;
}

static int ignored(const struct sigstate *s, int sig)
{
	uint64_t h = s->action[sig - 1].handler;

	if (sig == SIGKILL)
		return 0;
	return h == SIG_IGN || (h == SIG_DFL && default_ignored(sig));
}

void sig_send(struct proc *p, int sig, int sender)
{
	struct sigstate *s = &p->sig;

	if (p->state == P_ZOMBIE)
		return;
	/* a blocked signal stays pending: its action may change before
	 * it is unblocked (Linux's sig_ignored) */
	if (!(s->blocked & sig_bit(sig)) && ignored(s, sig))
		return;
	s->pending |= sig_bit(sig);
	s->sender[sig - 1] = sender;
	if (sig_interrupting(p))
		sched_wake_signal(p);
}

int sig_interrupting(const struct proc *p)
{
	return (p->sig.pending & ~p->sig.blocked) != 0;
}

static int on_altstack(const struct sigstate *s, uint64_t sp)
{
	const struct k_stack *a = &s->altstack;

	return !(a->ss_flags & SS_DISABLE) && sp > a->ss_sp &&
	       sp - a->ss_sp <= a->ss_size;
}

/* A frame could not be written or read back: Linux's force_sigsegv. */
static _Noreturn void bad_frame(struct trapframe *tf, const char *where)
{
	struct proc *p = proc_current();

	kprintf("%s[%d]: bad frame in %s ip %016llx sp %016llx\n", p->name,
		p->pid, where, (unsigned long long)tf->rip,
		(unsigned long long)tf->rsp);
	proc_exit(p, PROC_STATUS_SIGNALED(SIGSEGV));
}

/* Enter sig's handler with info; tf is the whole user frame. */
static void setup_frame(struct trapframe *tf, int sig,
			const struct k_siginfo *info)
{
	struct proc *p = proc_current();
	struct sigstate *s = &p->sig;
	struct k_sigaction *a = &s->action[sig - 1];
	struct rt_sigframe f;
	struct k_sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t sp, fpstate, frame;

	if (!(a->flags & SA_RESTORER))
		bad_frame(tf, "signal delivery (no SA_RESTORER)");
	if ((a->flags & SA_ONSTACK) && !(s->altstack.ss_flags & SS_DISABLE) &&
	    !on_altstack(s, tf->rsp))
		sp = s->altstack.ss_sp + s->altstack.ss_size;
	else
		sp = tf->rsp - RED_ZONE;
	fpstate = (sp - FXSAVE_SIZE) & ~63ULL;
	frame = ((fpstate - sizeof(f)) & ~15ULL) - 8;

	memset(&f, 0, sizeof(f));
	f.pretcode = a->restorer;
	f.uc.uc_flags = UC_SIGCONTEXT_SS;
	f.uc.uc_stack = s->altstack;
	f.uc.uc_stack.ss_flags = on_altstack(s, tf->rsp) ? SS_ONSTACK :
				 s->altstack.ss_flags;
	*sc = (struct k_sigcontext){
		.r8 = tf->r8, .r9 = tf->r9, .r10 = tf->r10, .r11 = tf->r11,
		.r12 = tf->r12, .r13 = tf->r13, .r14 = tf->r14, .r15 = tf->r15,
		.rdi = tf->rdi, .rsi = tf->rsi, .rbp = tf->rbp, .rbx = tf->rbx,
		.rdx = tf->rdx, .rax = tf->rax, .rcx = tf->rcx, .rsp = tf->rsp,
		.rip = tf->rip, .eflags = tf->rflags,
		.cs = (uint16_t)tf->cs, .ss = (uint16_t)tf->ss,
		.err = tf->error, .trapno = tf->vector,
		.oldmask = s->blocked,
		.cr2 = sig == SIGSEGV || sig == SIGBUS ? info->addr : 0,
		.fpstate = fpstate,
	};
	f.uc.uc_sigmask = s->blocked;
	f.info = *info;

	sched_fpu_save(p);
	if (copy_to_user((void *)fpstate, p->fpu, FXSAVE_SIZE) ||
	    copy_to_user((void *)frame, &f, sizeof(f)))
		bad_frame(tf, "signal delivery");

	tf->rip = a->handler;
	tf->rsp = frame;
	tf->rdi = (uint64_t)sig;
	tf->rsi = frame + offsetof(struct rt_sigframe, info);
	tf->rdx = frame + offsetof(struct rt_sigframe, uc);
	tf->rax = 0;
	tf->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	sched_fpu_reset(p);     /* the handler starts with a clean FPU */

	s->blocked |= a->mask;
	if (!(a->flags & SA_NODEFER))
		s->blocked |= sig_bit(sig);
	s->blocked &= ~SIG_UNBLOCKABLE;
	if (a->flags & SA_RESETHAND) {
		a->handler = SIG_DFL;
		a->flags &= ~SA_SIGINFO;
	}
}

int sig_fault(struct trapframe *tf, int sig, int code, uint64_t addr)
{
	struct sigstate *s = &proc_current()->sig;
	struct k_sigaction *a = &s->action[sig - 1];

	(void)tf;
	if ((s->blocked & sig_bit(sig)) || a->handler == SIG_IGN) {
		a->handler = SIG_DFL;           /* Linux's force_sig_info */
		s->blocked &= ~sig_bit(sig);
	}
	if (a->handler == SIG_DFL)
		return 0;
	s->fault_sig = sig;
	s->fault_code = code;
	s->fault_addr = addr;
	return 1;
}

void sig_deliver_fault(struct trapframe *tf)
{
	struct sigstate *s = &proc_current()->sig;
	struct k_siginfo info = {
		.si_signo = s->fault_sig, .si_code = s->fault_code,
		.addr = s->fault_addr,
	};

	s->fault_sig = 0;
	setup_frame(tf, info.si_signo, &info);
}

/* Go back to the int $0x80 (2 bytes, or the same bytes the #UD path
 * decoded) with the call's number: it runs again. */
static void restart_call(struct trapframe *tf, const struct sigstate *s)
{
	tf->rax = s->restart_nr;
	tf->rip -= 2;
}

void sig_return_to_user(struct trapframe *tf)
{
	struct proc *p = proc_current();
	struct sigstate *s = &p->sig;
	/* a blocking call a signal interrupted (syscall.c) */
	bool restart = (tf->vector == T_SYSCALL || tf->vector == T_UD) &&
		       (int64_t)tf->rax == -ERESTARTSYS;
	uint64_t ready;

	while ((ready = s->pending & ~s->blocked) != 0) {
		int sig = __builtin_ctzll(ready) + 1;
		const struct k_sigaction *a = &s->action[sig - 1];

		s->pending &= ~sig_bit(sig);
		if (sig == SIGKILL ||
		    (a->handler == SIG_DFL && !default_ignored(sig)))
			proc_exit(p, PROC_STATUS_SIGNALED(sig));
		if (a->handler == SIG_DFL || a->handler == SIG_IGN)
			continue;
		/* before the frame saves the context: where to resume */
		if (restart) {
			if (a->flags & SA_RESTART)
				restart_call(tf, s);
			else
				tf->rax = (uint64_t)-EINTR;
		}
		setup_frame(tf, sig, &(struct k_siginfo){
			.si_signo = sig, .si_code = SI_USER,
			.kill = { .pid = s->sender[sig - 1] },
		});
		return;         /* one frame; the next at the next return */
	}
	if (restart)            /* no handler ran: as if never interrupted */
		restart_call(tf, s);
}

int64_t sys_rt_sigreturn(struct trapframe *tf)
{
	struct proc *p = proc_current();
	struct rt_sigframe f;
	const struct k_sigcontext *sc = &f.uc.uc_mcontext;
	uint8_t fx[FXSAVE_SIZE] __attribute__((aligned(16)));

	if (copy_from_user(&f, (const void *)(tf->rsp - 8), sizeof(f)) ||
	    sc->rip >= USER_CANONICAL_END || sc->rsp >= USER_CANONICAL_END)
		bad_frame(tf, "rt_sigreturn");
	if (sc->fpstate) {
		uint32_t mxcsr;

		if (copy_from_user(fx, (const void *)sc->fpstate, sizeof(fx)))
			bad_frame(tf, "rt_sigreturn");
		memcpy(&mxcsr, fx + FXSAVE_MXCSR, sizeof(mxcsr));
		mxcsr &= MXCSR_VALID;   /* a reserved bit would #GP fxrstor */
		memcpy(fx + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
		sched_fpu_load(p, fx);
	} else {
		sched_fpu_reset(p);
	}
	tf->r8 = sc->r8; tf->r9 = sc->r9; tf->r10 = sc->r10; tf->r11 = sc->r11;
	tf->r12 = sc->r12; tf->r13 = sc->r13; tf->r14 = sc->r14;
	tf->r15 = sc->r15; tf->rdi = sc->rdi; tf->rsi = sc->rsi;
	tf->rbp = sc->rbp; tf->rbx = sc->rbx; tf->rdx = sc->rdx;
	tf->rcx = sc->rcx; tf->rsp = sc->rsp; tf->rip = sc->rip;
	tf->rflags = (tf->rflags & ~RFLAGS_USER_MASK) |
		     (sc->eflags & RFLAGS_USER_MASK);
	p->sig.blocked = f.uc.uc_sigmask & ~SIG_UNBLOCKABLE;
	return (int64_t)sc->rax;        /* the dispatcher puts it in rax */
}

int64_t sys_rt_sigaction(struct trapframe *tf)
{
	int sig = (int)tf->rdi;
	const void *uact = (const void *)tf->rsi;
	void *uold = (void *)tf->rdx;
	struct sigstate *s = &proc_current()->sig;
	struct k_sigaction act;

	if (tf->r10 != sizeof(uint64_t) || sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	if (uold && copy_to_user(uold, &s->action[sig - 1], sizeof(act)))
		return -EFAULT;
	if (uact) {
		act.mask &= ~SIG_UNBLOCKABLE;
		s->action[sig - 1] = act;
		if (ignored(s, sig))    /* POSIX: pending instances go */
			s->pending &= ~sig_bit(sig);
	}
	return 0;
}

enum { SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2 };

int64_t sys_rt_sigprocmask(struct trapframe *tf)
{
	int how = (int)tf->rdi;
	const void *uset = (const void *)tf->rsi;
	void *uold = (void *)tf->rdx;
	struct sigstate *s = &proc_current()->sig;
	uint64_t set, old = s->blocked;

	if (tf->r10 != sizeof(uint64_t))
		return -EINVAL;
	if (uset) {
		if (copy_from_user(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK: s->blocked |= set; break;
		case SIG_UNBLOCK: s->blocked &= ~set; break;
		case SIG_SETMASK: s->blocked = set; break;
		default: return -EINVAL;
		}
		s->blocked &= ~SIG_UNBLOCKABLE;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int64_t sys_rt_sigpending(struct trapframe *tf)
{
	struct sigstate *s = &proc_current()->sig;
	uint64_t set = s->pending & s->blocked;

	if (tf->rsi > sizeof(uint64_t))
		return -EINVAL;
	if (copy_to_user((void *)tf->rdi, &set, tf->rsi))
		return -EFAULT;
	return 0;
}

int64_t sys_sigaltstack(struct trapframe *tf)
{
	const void *uss = (const void *)tf->rdi;
	void *uold = (void *)tf->rsi;
	struct sigstate *s = &proc_current()->sig;
	struct k_stack ss, old = s->altstack;

	old.ss_flags = on_altstack(s, tf->rsp) ? SS_ONSTACK :
		       s->altstack.ss_flags;
	if (uss) {
		if (copy_from_user(&ss, uss, sizeof(ss)))
			return -EFAULT;
		if (on_altstack(s, tf->rsp))
			return -EPERM;
		if (ss.ss_flags != 0 && ss.ss_flags != SS_DISABLE &&
		    ss.ss_flags != SS_ONSTACK)
			return -EINVAL;
		if (ss.ss_flags == SS_DISABLE) {
			ss.ss_sp = 0;
			ss.ss_size = 0;
		} else if (ss.ss_size < MINSIGSTKSZ) {
			return -ENOMEM;
		}
		ss.ss_flags &= SS_DISABLE;
		ss.pad = 0;
		s->altstack = ss;
	}
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
