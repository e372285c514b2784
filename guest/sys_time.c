/*
 * sys_time.c: clock_gettime, clock_getres, gettimeofday, time.  Wall and
 * monotonic time are the host's (HC_CLOCK: one VM exit per call, exact);
 * a process's CPU time is its timer ticks (the scheduler's quantum).
 */
#include "cmdline.h"
#include "hcall.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

enum {
	CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
	CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4,
	CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6,
	CLOCK_BOOTTIME = 7,
};

struct k_timespec { int64_t sec, nsec; };

/* ns of clock, or -EINVAL. */
static int64_t clock_ns(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return hcall(HC_CLOCK, HC_CLOCK_REALTIME, 0, 0);
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return hcall(HC_CLOCK, HC_CLOCK_MONOTONIC, 0, 0);
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return (int64_t)(proc_current()->usage.ticks *
				 kopts.quantum_ms * 1000000);
	}
	return -EINVAL;
}

int64_t sys_clock_gettime(struct trapframe *tf)
{
	int64_t ns = clock_ns((int)tf->rdi);
	struct k_timespec ts;

	if (ns < 0)
		return ns;
	ts.sec = ns / 1000000000;
	ts.nsec = ns % 1000000000;
	return copy_to_user((void *)tf->rsi, &ts, sizeof(ts)) ? -EFAULT : 0;
}

int64_t sys_clock_getres(struct trapframe *tf)
{
	int clock = (int)tf->rdi;
	struct k_timespec ts = { 0, 1 };

	if (clock_ns(clock) < 0)
		return -EINVAL;
	if (clock == CLOCK_PROCESS_CPUTIME_ID || clock == CLOCK_THREAD_CPUTIME_ID)
		ts.nsec = (int64_t)kopts.quantum_ms * 1000000;
	if (tf->rsi && copy_to_user((void *)tf->rsi, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

int64_t sys_gettimeofday(struct trapframe *tf)
{
	int64_t ns = hcall(HC_CLOCK, HC_CLOCK_REALTIME, 0, 0);
	struct { int64_t sec, usec; } tv = { ns / 1000000000,
					     ns % 1000000000 / 1000 };
	struct { int32_t minuteswest, dsttime; } tz = { 0, 0 };

	if (tf->rdi && copy_to_user((void *)tf->rdi, &tv, sizeof(tv)))
		return -EFAULT;
	if (tf->rsi && copy_to_user((void *)tf->rsi, &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

int64_t sys_time(struct trapframe *tf)
{
	int64_t sec = hcall(HC_CLOCK, HC_CLOCK_REALTIME, 0, 0) / 1000000000;

	if (tf->rdi && copy_to_user((void *)tf->rdi, &sec, sizeof(sec)))
		return -EFAULT;
	return sec;
}
