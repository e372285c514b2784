/* syscall.c: the generic syscall(2) wrapper. */
#include <stdarg.h>
#include <unistd.h>

#include "sysraw.h"

/*
 * syscall(nr, a1..a6): reads six long arguments (extra ones are harmless
 * garbage for calls that take fewer), traps, and returns the result, or
 * -1 with errno set when the kernel returned -errno.
 */
long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return sys_ret(sys_raw6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}
