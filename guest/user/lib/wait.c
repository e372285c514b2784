/* wait.c: waiting for children (all through wait4). */
#include <sys/wait.h>

#include "sysraw.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return sys_ret(sys_raw4(SYS_wait4, pid, status, options, ru));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, 0);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, 0);
}
