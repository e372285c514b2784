/*
 * mm_exhaust: every way a process can run a small guest out of memory,
 * each in a child, so the parent can report how it ended:
 *   anon    touches 15 MiB of private anonymous memory until killed
 *   brk     grows the heap by 1 MiB at a time, touching it, until killed
 *           or refused
 *   stack   recurses with RLIMIT_STACK unlimited until killed
 *   shared  touches a 15 MiB MAP_SHARED|MAP_ANONYMOUS mapping
 *   fork    forks children that each touch 64 KiB until fork fails
 * Prints "mm_exhaust: MODE: exit N" or "signal N" per mode, then "done".
 * Run in a 16 MiB guest.  The kernel must OOM-kill (its "out of memory:
 * killed" line) or refuse with Linux's errno (brk: ENOMEM, exit 3; fork:
 * EAGAIN at the process-slot limit, exit 5), never panic; the harness checks every frame comes
 * back and the audit stays clean.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096UL
/* Less than all of RAM (16 MiB: a bigger request is refused up front by
 * the overcommit heuristic, as on Linux), more than is free. */
#define BIG  (15UL << 20)

static void touch(volatile char *p, unsigned long len)
{
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
}

static void anon(void)
{
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	touch(p, BIG);
}

static void brk_grow(void)
{
	for (int i = 0; i < 64; i++) {
		char *p = sbrk(1 << 20);

		if (p == (void *)-1)
			_exit(errno == ENOMEM ? 3 : 4);
		touch(p, 1 << 20);
	}
}

static long deep(long n)
{
	volatile char pad[4096];

	pad[0] = (char)n;
	if (n <= 0)
		return pad[0];
	return deep(n - 1) + pad[0];
}

static void stack(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_STACK, &rl);
	deep(16384);            /* 64 MiB of frames */
}

static void shared(void)
{
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	touch(p, BIG);
}

static void forks(void)
{
	int st, err = 0;

	for (;;) {
		pid_t pid = fork();

		if (pid < 0) {
			err = errno;
			break;
		}
		if (pid == 0) {
			char *p = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				touch(p, 64 << 10);
			usleep(300000);
			_exit(0);
		}
	}
	while (wait(&st) > 0)
		;
	_exit(err == EAGAIN ? 5 : err == ENOMEM ? 6 : 7);
}

static const struct {
	const char *name;
	void (*fn)(void);
} modes[] = {
	{ "anon", anon }, { "brk", brk_grow }, { "stack", stack },
	{ "shared", shared }, { "fork", forks },
};

int main(void)
{
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		int st = 0;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			modes[i].fn();
			_exit(0);
		}
		waitpid(pid, &st, 0);
		if (WIFEXITED(st))
			printf("mm_exhaust: %s: exit %d\n", modes[i].name,
			       WEXITSTATUS(st));
		else
			printf("mm_exhaust: %s: signal %d\n", modes[i].name,
			       WTERMSIG(st));
	}
	printf("mm_exhaust: done\n");
	return 0;
}
