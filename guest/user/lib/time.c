/*
 * time.c: sleeping, clocks, resources, uname.  The kernel sleeps in whole
 * scheduler ticks (its quantum=, 10 ms by default), so short sleeps round
 * up; the clocks are the host's, exact.
 */
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include "sysraw.h"

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return sys_ret(sys_raw2(SYS_nanosleep, (long)req, (long)rem));
}

int usleep(useconds_t usec)
{
	struct timespec ts = { usec / 1000000, (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, 0);
}

unsigned sleep(unsigned sec)
{
	struct timespec ts = { sec, 0 };

	return nanosleep(&ts, 0) ? sec : 0;
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return sys_ret(sys_raw2(SYS_clock_gettime, clock, (long)ts));
}

int clock_getres(clockid_t clock, struct timespec *ts)
{
	return sys_ret(sys_raw2(SYS_clock_getres, clock, (long)ts));
}

int gettimeofday(struct timeval *tv, void *tz)
{
	return sys_ret(sys_raw2(SYS_gettimeofday, (long)tv, (long)tz));
}

time_t time(time_t *t)
{
	return sys_ret(sys_raw1(SYS_time, (long)t));
}

int getrusage(int who, struct rusage *ru)
{
	return sys_ret(sys_raw2(SYS_getrusage, who, (long)ru));
}

int getrlimit(int resource, struct rlimit *rl)
{
	return sys_ret(sys_raw2(SYS_getrlimit, resource, (long)rl));
}

int setrlimit(int resource, const struct rlimit *rl)
{
	return sys_ret(sys_raw2(SYS_setrlimit, resource, (long)rl));
}

int uname(struct utsname *u)
{
	return sys_ret(sys_raw1(SYS_uname, (long)u));
}
