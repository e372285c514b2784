/* signo.h: Linux x86-64 signal numbers the kernel names. */
#ifndef SIGNO_H
#define SIGNO_H

enum {
	SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8,
	SIGKILL = 9, SIGSEGV = 11, SIGPIPE = 13, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19,
	SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGWINCH = 28,
};

#endif /* SIGNO_H */
