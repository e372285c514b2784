/*
 * time.c: sleeping.  The kernel sleeps in whole scheduler ticks (its
 * quantum=, 10 ms by default), so short sleeps round up.
 */
#include <sys/syscall.h>
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
