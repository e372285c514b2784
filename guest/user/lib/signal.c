/*
 * signal.c: sigaction and friends over rt_sigaction, rt_sigprocmask,
 * rt_sigpending and sigaltstack (8-byte kernel signal sets).  Every
 * handler returns through __restore_rt (sigreturn.S).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "sysraw.h"

/* The kernel's struct sigaction (rt_sigaction's layout). */
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};

void __restore_rt(void);

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct ksigaction k, ko;
	long r;

	if (act) {
		k.handler = (unsigned long)act->sa_handler;
		k.flags = (unsigned long)(unsigned)act->sa_flags | SA_RESTORER;
		k.restorer = (unsigned long)__restore_rt;
		k.mask = act->sa_mask.__bits[0];
	}
	r = sys_raw4(SYS_rt_sigaction, sig, act ? (long)&k : 0,
		     old ? (long)&ko : 0, sizeof(k.mask));
	if (r < 0)
		return sys_ret(r);
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = (void (*)(int))ko.handler;
		old->sa_flags = (int)ko.flags;
		old->sa_restorer = (void (*)(void))ko.restorer;
		old->sa_mask.__bits[0] = ko.mask;
	}
	return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;       /* BSD semantics, as glibc's signal */
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return sys_ret(sys_raw4(SYS_rt_sigprocmask, how, (long)set, (long)old,
				sizeof(set->__bits)));
}

int sigpending(sigset_t *set)
{
	return sys_ret(sys_raw2(SYS_rt_sigpending, (long)set,
				sizeof(set->__bits)));
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	return sys_ret(sys_raw2(SYS_sigaltstack, (long)ss, (long)old));
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

static int sig_ok(int sig)
{
	if (sig < 1 || sig > 64) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

int sigemptyset(sigset_t *set)
{
	set->__bits[0] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->__bits[0] = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	set->__bits[0] |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	set->__bits[0] &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!sig_ok(sig))
		return -1;
	return (set->__bits[0] >> (sig - 1)) & 1;
}

/* sigsetjmp's C half (setjmp.S stored the registers): the mask. */
int __sigsetjmp_mask(struct __jmp_buf_tag *env, int savemask);
void __longjmp(struct __jmp_buf_tag *env, int val)
	__attribute__((noreturn));

int __sigsetjmp_mask(struct __jmp_buf_tag *env, int savemask)
{
	env->__mask_saved = savemask != 0;
	if (savemask)
		sigprocmask(SIG_BLOCK, NULL, &env->__mask);
	return 0;
}

void siglongjmp(sigjmp_buf env, int val)
{
	if (env->__mask_saved)
		sigprocmask(SIG_SETMASK, &env->__mask, NULL);
	__longjmp(env, val ? val : 1);
}

void longjmp(jmp_buf env, int val)
{
	__longjmp(env, val ? val : 1);
}

void _longjmp(jmp_buf env, int val)
{
	__longjmp(env, val ? val : 1);
}
