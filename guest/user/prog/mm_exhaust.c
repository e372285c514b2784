/*
 * mm_exhaust: every way a process can run a small guest out of memory,
 * each in a child, so the parent can report how it ended:
 *   anon    touches 15 MiB of private anonymous memory until killed
 *   brk     grows the heap by 1 MiB at a time, touching it, until killed
 *           or refused
 *   stack   recurses with RLIMIT_STACK unlimited until killed
 *   shared  touches a 15 MiB MAP_SHARED|MAP_ANONYMOUS mapping
 *   fork    forks children that each touch 64 KiB until fork fails
 *   forkmem fills memory until a fork of its 8 MiB of touched pages
 *           (tables, reverse-map records) cannot fit: ENOMEM, and the
 *           parent's pages intact (exit 8); after freeing, fork works
 *   region  fills memory until a region copy into a child cannot fit:
 *           ENOMEM, the child's destination exactly as it was; after
 *           freeing, the same copy lands whole (exit 9)
 *   exec    execve of bigbss, an image larger than RAM: ENOMEM, and the
 *           caller goes on (exit 10)
 * Prints "mm_exhaust: MODE: exit N" or "signal N" per mode, then "done".
 * Run in a 16 MiB guest.  The kernel must OOM-kill (its "out of memory:
 * killed" line) or refuse with Linux's errno (brk: ENOMEM, exit 3; fork:
 * EAGAIN at the process-slot limit, exit 5), never panic; the harness checks every frame comes
 * back and the audit stays clean.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vmmtest.h>

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

/* MemFree of /proc/meminfo, in pages (0 when unreadable). */
static unsigned long free_pages(void)
{
	char buf[1024], *at;
	int fd = open("/proc/meminfo", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	at = strstr(buf, "MemFree:");
	return at ? strtoul(at + 8, NULL, 10) / 4 : 0;
}

/* Touch pages of a BIG mapping until at most keep pages are free; the
 * mapping, to be unmapped when room is needed again. */
static char *fill_until(unsigned long keep)
{
	char *p = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	for (unsigned long off = 0; off < BIG; off += 8 * PAGE) {
		if (free_pages() <= keep)
			return p;
		touch(p + off, 8 * PAGE);
	}
	_exit(20);              /* never got that low */
}

static int fill_words(unsigned long *p, unsigned long words, unsigned long x,
		      int check)
{
	for (unsigned long i = 0; i < words; i++) {
		if (!check)
			p[i] = x ^ (i * 0x9e3779b97f4a7c15UL);
		else if (p[i] != (x ^ (i * 0x9e3779b97f4a7c15UL)))
			return 1;
	}
	return 0;
}

#define FORK_MEM (8UL << 20)

static void forkmem(void)
{
	unsigned long *mine = mmap(NULL, FORK_MEM, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *filler;
	pid_t pid;
	int st;

	if (mine == MAP_FAILED)
		_exit(2);
	fill_words(mine, FORK_MEM / 8, 0xf0f0, 0);
	filler = fill_until(8);
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0) {
		printf("mm_exhaust: forkmem: fork did not fail with %lu pages "
		       "free\n", free_pages());
		_exit(21);
	}
	if (errno != ENOMEM)
		_exit(22);
	if (fill_words(mine, FORK_MEM / 8, 0xf0f0, 1))
		_exit(23);
	munmap(filler, BIG);
	pid = fork();
	if (pid == 0)
		_exit(fill_words(mine, FORK_MEM / 8, 0xf0f0, 1) ? 24 : 0);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		_exit(25);
	_exit(WEXITSTATUS(st) ? WEXITSTATUS(st) : 8);
}

/*
 * The destination child has DST_PAGES at DST holding a pattern and
 * answers each command byte on its pipe: 'o' (the old pattern intact?),
 * 'n' (the copy landed: the source's bytes at [REGION_OFF, REGION_OFF +
 * REGION_LEN), the old pattern around them?), 'q'.
 */
#define DST        ((unsigned long *)0x300000000UL)
#define DST_PAGES  64
#define REGION_OFF 100          /* byte offsets differ from the source's: */
#define SRC_OFF    204          /* every page is copied byte-wise */
#define REGION_LEN ((DST_PAGES - 2) * PAGE)

static int region_landed(const unsigned char *src)
{
	const unsigned char *d = (const unsigned char *)DST;
	unsigned long *save = mmap(NULL, DST_PAGES * PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const unsigned char *o = (const unsigned char *)save;

	if (save == MAP_FAILED)
		return 1;
	fill_words(save, DST_PAGES * PAGE / 8, 0xd5d5, 0);
	for (unsigned long i = 0; i < DST_PAGES * PAGE; i++) {
		int in = i >= REGION_OFF && i < REGION_OFF + REGION_LEN;

		if (d[i] != (in ? src[SRC_OFF + i - REGION_OFF] : o[i]))
			return 1;
	}
	return 0;
}

static void region_child(int cmd, int ans, const unsigned char *src)
{
	char c, r;

	if (write(ans, "r", 1) != 1)
		_exit(2);
	while (read(cmd, &c, 1) == 1 && c != 'q') {
		if (c == 'o')
			r = fill_words(DST, DST_PAGES * PAGE / 8, 0xd5d5, 1) ?
			    'x' : 'y';
		else
			r = region_landed(src) ? 'x' : 'y';
		if (write(ans, &r, 1) != 1)
			break;
	}
	_exit(0);
}

/* Ask the destination child c ('o' or 'n'); its answer, 0 if none. */
static char ask(int cmd, int ans, char c)
{
	char r = 0;

	if (write(cmd, &c, 1) != 1 || read(ans, &r, 1) != 1)
		return 0;
	return r;
}

static void region(void)
{
	int cmd[2], ans[2], st;
	unsigned long *src = mmap(NULL, DST_PAGES * PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *filler, r;
	long rc;
	pid_t pid;

	if (src == MAP_FAILED || pipe(cmd) < 0 || pipe(ans) < 0)
		_exit(2);
	fill_words(src, DST_PAGES * PAGE / 8, 0x5a5a, 0);
	/* The destination, filled here and inherited by the child: its
	 * frames stay shared copy-on-write with this process, so replacing
	 * them frees nothing and the copy needs a fresh frame per page. */
	if (mmap(DST, DST_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != DST)
		_exit(2);
	fill_words(DST, DST_PAGES * PAGE / 8, 0xd5d5, 0);
	pid = fork();
	if (pid == 0)
		region_child(cmd[0], ans[1], (const unsigned char *)src);
	if (pid < 0 || read(ans[0], &r, 1) != 1)
		_exit(2);
	filler = fill_until(16);
	rc = vmm_region_copy(pid, (char *)DST + REGION_OFF,
			     (char *)src + SRC_OFF, REGION_LEN);
	if (rc != -1 || errno != ENOMEM) {
		printf("mm_exhaust: region: copy returned %ld (errno %d) with "
		       "%lu pages free\n", rc, errno, free_pages());
		_exit(30);
	}
	if ((r = ask(cmd[1], ans[0], 'o')) != 'y')
		_exit(r == 'x' ? 31 : 32);  /* 31: destination changed */
	munmap(filler, BIG);
	if (vmm_region_copy(pid, (char *)DST + REGION_OFF,
			    (char *)src + SRC_OFF, REGION_LEN) != 0)
		_exit(33);
	if ((r = ask(cmd[1], ans[0], 'n')) != 'y')
		_exit(r == 'x' ? 34 : 35);  /* 34: the copy did not land */
	if (write(cmd[1], "q", 1) != 1 || waitpid(pid, &st, 0) != pid)
		_exit(36);
	_exit(9);
}

static void exec_big(void)
{
	char *const argv[] = { "bigbss", NULL };

	execve("bigbss", argv, NULL);
	_exit(errno == ENOMEM ? 10 : 11);
}

static const struct {
	const char *name;
	void (*fn)(void);
} modes[] = {
	{ "anon", anon }, { "brk", brk_grow }, { "stack", stack },
	{ "shared", shared }, { "fork", forks }, { "forkmem", forkmem },
	{ "region", region }, { "exec", exec_big },
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
