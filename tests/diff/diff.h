/*
 * diff.h: helpers for the differential programs (tests/diff/NAME.c).
 *
 * Each program is built twice from the same source: with the host's gcc
 * and glibc, run on Linux, and with the guest recipe (guest/user/), run
 * in the VM.  test_diff compares their standard output line by line and
 * their exit status; Linux is the oracle.  So a program prints only what
 * must be the same on both: errno names rather than addresses, "same" or
 * "differs" rather than PFNs, offsets from a mapping's start.
 *
 * Only POSIX and Linux interfaces, and only this header, which is part of
 * every program's source.
 */
#ifndef DIFF_H
#define DIFF_H

/* glibc hides sighandler_t and the REG_* names without it */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL

/* Linux's name of an errno value, as the tests print it. */
static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	case ECHILD: return "ECHILD";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ESPIPE: return "ESPIPE";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EFBIG: return "EFBIG";
	case EPIPE: return "EPIPE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	}
	return "E?";
}

/* "NAME = 0" or "NAME = -1 EINVAL" for a call returning 0 or -1. */
#define show(name, call)                                                   \
	do {                                                               \
		int r_;                                                    \
		errno = 0;                                                 \
		r_ = (call);                                               \
		printf("%s = %d%s%s\n", (name), r_, r_ ? " " : "",        \
		       r_ ? errname(errno) : "");                          \
	} while (0)

/* The same for mmap: "NAME = ok" or "NAME = MAP_FAILED EINVAL". */
static inline void *show_mmap(const char *name, void *addr, size_t len,
			      int prot, int flags, int fd, off_t off)
{
	void *p;

	errno = 0;
	p = mmap(addr, len, prot, flags, fd, off);
	if (p == MAP_FAILED)
		printf("%s = MAP_FAILED %s\n", name, errname(errno));
	else
		printf("%s = ok\n", name);
	fflush(stdout);
	return p;
}

/* How a wait status ended: "exit N", "signal NAME". */
static inline const char *status_str(int st)
{
	static char buf[32];

	if (WIFEXITED(st)) {
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
		return buf;
	}
	switch (WTERMSIG(st)) {
	case SIGSEGV: return "signal SIGSEGV";
	case SIGBUS: return "signal SIGBUS";
	case SIGKILL: return "signal SIGKILL";
	case SIGABRT: return "signal SIGABRT";
	case SIGTERM: return "signal SIGTERM";
	case SIGUSR1: return "signal SIGUSR1";
	case SIGUSR2: return "signal SIGUSR2";
	case SIGILL: return "signal SIGILL";
	case SIGFPE: return "signal SIGFPE";
	}
	snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(st));
	return buf;
}

/*
 * Run fn(arg) in a child and print "what: exit N" or "what: signal
 * NAME": how a probe of a protection ends, without signal handlers.
 */
static inline void in_child(const char *what, void (*fn)(void *), void *arg)
{
	int st = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		printf("%s: fork or wait failed\n", what);
		return;
	}
	printf("%s: %s\n", what, status_str(st));
}

/* Probes for in_child: a read and a write of the byte at arg. */
static inline void probe_read(void *p)
{
	__asm__("" : "+r"(p));  /* any address, even one gcc knows is bad */
	volatile char c = *(volatile char *)p;
	(void)c;
}

static inline void probe_write(void *p)
{
	__asm__("" : "+r"(p));
	*(volatile char *)p = 1;
}

/* Fill len bytes at p with a pattern seeded by seed; check it. */
static inline void fill(void *p, size_t len, unsigned seed)
{
	unsigned char *b = p;

	for (size_t i = 0; i < len; i += 64)
		b[i] = (unsigned char)(seed + i / 64 * 7);
}

static inline int filled(const void *p, size_t len, unsigned seed)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i += 64)
		if (b[i] != (unsigned char)(seed + i / 64 * 7))
			return 0;
	return 1;
}

static inline int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

static inline const char *yes(int v)
{
	return v ? "yes" : "no";
}

#endif /* DIFF_H */
