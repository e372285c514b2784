/*
 * signal.h: signals, Linux x86-64 numbers and ABI.  sigaction always
 * passes SA_RESTORER with the libc's own restorer (rt_sigreturn), as
 * glibc does; siginfo_t and stack_t have Linux's layouts.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <stddef.h>
#include <sys/types.h>

#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGIOT     6
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31
#define NSIG      65

#define SIGRTMIN  32
#define SIGRTMAX  64

typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

/* 64 signals, one bit each (bit sig - 1), as the kernel takes them. */
typedef struct {
	unsigned long __bits[1];
} sigset_t;

typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		void *si_addr;                  /* SIGSEGV, SIGBUS, SIGILL... */
		struct {
			pid_t si_pid;           /* kill() */
			uid_t si_uid;
		};
	};
	char __rest[128 - 24];
} siginfo_t;

/* si_code */
#define SI_USER      0
#define SI_KERNEL    0x80
#define SEGV_MAPERR  1
#define SEGV_ACCERR  2
#define BUS_ADRALN   1
#define BUS_ADRERR   2
#define ILL_ILLOPN   2
#define FPE_INTDIV   1
#define TRAP_BRKPT   1

struct sigaction {
	union {
		void (*__sa_handler)(int);
		void (*__sa_sigaction)(int, siginfo_t *, void *);
	} __sa;
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};
#define sa_handler   __sa.__sa_handler
#define sa_sigaction __sa.__sa_sigaction

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

#define SIG_BLOCK    0
#define SIG_UNBLOCK  1
#define SIG_SETMASK  2

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

#define SS_ONSTACK   1
#define SS_DISABLE   2
#define MINSIGSTKSZ  2048
#define SIGSTKSZ     8192

int kill(pid_t pid, int sig);
int raise(int sig);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigpending(sigset_t *set);
int sigaltstack(const stack_t *ss, stack_t *old);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

#endif /* _SIGNAL_H */
