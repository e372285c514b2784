/* time.h: the sleeping part (Linux x86-64 struct timespec). */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>

typedef long time_t;

struct timespec {
	time_t tv_sec;
	long tv_nsec;
};

int nanosleep(const struct timespec *req, struct timespec *rem);

#endif /* _TIME_H */
