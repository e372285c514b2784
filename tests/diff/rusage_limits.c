/* rusage_limits: minor faults counted per touched page, maxrss grows,
 * a child's faults reach RUSAGE_CHILDREN; RLIMIT_STACK and RLIMIT_AS
 * enforced; uname's fields; clocks move forward. */
#include "diff.h"
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>

static long minflt(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_minflt;
}

static long deep(long n)
{
	volatile char pad[4096];

	pad[0] = (char)n;
	if (n <= 0)
		return pad[0];
	return deep(n - 1) + pad[0];
}

static void stack_1m(void *arg)
{
	struct rlimit rl = { 512 * 1024, RLIM_INFINITY };

	(void)arg;
	setrlimit(RLIMIT_STACK, &rl);
	deep(256);              /* 1 MiB of frames: over the new limit */
}

int main(void)
{
	struct rlimit rl;
	struct utsname u;
	struct timespec a, b;
	struct timeval tv;
	long before, after, child;
	char *p;
	int st;

	printf("rusage_limits\n");
	fflush(stdout);
	p = mmap(NULL, 64 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = minflt(RUSAGE_SELF);
	for (size_t i = 0; i < 64 * PG; i += PG)
		p[i] = 1;
	after = minflt(RUSAGE_SELF);
	printf("64 pages written: %s minor faults (64 to 70)\n",
	       after - before >= 64 && after - before <= 70 ? "64..70" : "other");
	child = minflt(RUSAGE_CHILDREN);
	fflush(stdout);
	if (fork() == 0) {
		for (size_t i = 0; i < 64 * PG; i += PG)
			p[i] = 2;
		_exit(0);
	}
	wait(&st);
	printf("children's faults grew by at least 64: %s\n",
	       yes(minflt(RUSAGE_CHILDREN) - child >= 64));
	getrlimit(RLIMIT_STACK, &rl);
	printf("default RLIMIT_STACK 8 MiB: %s\n", yes(rl.rlim_cur == 8 << 20));
	in_child("stack past a 512 KiB RLIMIT_STACK", stack_1m, NULL);
	rl.rlim_cur = 64 << 20;
	rl.rlim_max = RLIM_INFINITY;
	show("setrlimit RLIMIT_AS 64 MiB", setrlimit(RLIMIT_AS, &rl));
	show_mmap("mmap 128 MiB under it", NULL, 128 << 20, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show_mmap("mmap 1 MiB under it", NULL, 1 << 20, PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rl.rlim_cur = 2;
	rl.rlim_max = 1;
	show("setrlimit soft above hard", setrlimit(RLIMIT_AS, &rl));
	show("getrlimit 99", getrlimit(99, &rl));
	uname(&u);
	printf("uname: %s %s\n", u.sysname, u.machine);
	clock_gettime(CLOCK_MONOTONIC, &a);
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("monotonic advanced >= 20 ms: %s\n",
	       yes((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec >=
		   20000000L));
	gettimeofday(&tv, NULL);
	printf("gettimeofday after 2020: %s, time() agrees: %s\n",
	       yes(tv.tv_sec > 1577836800L),
	       yes(time(NULL) - tv.tv_sec <= 1));
	show("clock_gettime bad clock", clock_gettime(99, &a));
	return 0;
}
