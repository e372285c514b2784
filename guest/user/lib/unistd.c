/* unistd.c: thin wrappers for process and file-descriptor system calls. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sysraw.h"

ssize_t read(int fd, void *buf, size_t len)
{
	return sys_ret(sys_raw3(SYS_read, fd, buf, len));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return sys_ret(sys_raw3(SYS_write, fd, buf, len));
}

/* open(path, flags[, mode]): mode is read only when O_CREAT is given. */
int open(const char *path, int flags, ...)
{
	unsigned mode = 0;

	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, unsigned);
		va_end(ap);
	}
	return sys_ret(sys_raw3(SYS_open, path, flags, mode));
}

int close(int fd)
{
	return sys_ret(sys_raw1(SYS_close, fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	return sys_ret(sys_raw3(SYS_lseek, fd, off, whence));
}

int dup(int fd)
{
	return sys_ret(sys_raw1(SYS_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	return sys_ret(sys_raw2(SYS_dup2, oldfd, newfd));
}

int pipe2(int fds[2], int flags)
{
	return sys_ret(sys_raw2(SYS_pipe2, fds, flags));
}

int dup3(int oldfd, int newfd, int flags)
{
	return sys_ret(sys_raw3(SYS_dup3, oldfd, newfd, flags));
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return sys_ret(sys_raw4(SYS_pread64, fd, buf, len, off));
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return sys_ret(sys_raw4(SYS_pwrite64, fd, buf, len, off));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	return (int)sys_ret(sys_raw4(SYS_openat, dirfd, path, flags, 0));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)sys_ret(sys_raw3(SYS_fcntl, fd, cmd, arg));
}

int ftruncate(int fd, off_t len)
{
	return sys_ret(sys_raw2(SYS_ftruncate, fd, len));
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	return sys_ret(sys_raw4(SYS_fallocate, fd, mode, off, len));
}

int memfd_create(const char *name, unsigned flags)
{
	return sys_ret(sys_raw2(SYS_memfd_create, name, flags));
}

int fstat(int fd, struct stat *st)
{
	return sys_ret(sys_raw2(SYS_fstat, fd, st));
}

int pipe(int fds[2])
{
	return sys_ret(sys_raw1(SYS_pipe, fds));
}

/* _exit: ends the whole process at once, no stdio flush. */
void _exit(int status)
{
	sys_raw1(SYS_exit_group, status);
	sys_raw1(SYS_exit, status);	/* a kernel without exit_group */
	for (;;)
		__asm__ volatile("ud2");
}

pid_t getpid(void)
{
	return sys_raw0(SYS_getpid);
}

pid_t getppid(void)
{
	return sys_raw0(SYS_getppid);
}

pid_t fork(void)
{
	return sys_ret(sys_raw0(SYS_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return sys_ret(sys_raw3(SYS_execve, path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

int kill(pid_t pid, int sig)
{
	return sys_ret(sys_raw2(SYS_kill, pid, sig));
}

int sched_yield(void)
{
	return sys_ret(sys_raw0(SYS_sched_yield));
}

int getpagesize(void)
{
	return 4096;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return getpagesize();
	case _SC_CLK_TCK:
		return 100;     /* Linux's USER_HZ */
	}
	errno = EINVAL;
	return -1;
}

/* The current break, learnt from the kernel on first use. */
static uintptr_t cur_brk;

/*
 * The brk system call returns the new break, or the old one when it
 * refused; a kernel without brk returns -ENOSYS.  brk() returns 0 or -1
 * with errno (ENOMEM when refused).
 */
int brk(void *addr)
{
	long r = sys_raw1(SYS_brk, addr);

	if (sys_ret(r) == -1)
		return -1;
	cur_brk = (uintptr_t)r;
	if (cur_brk != (uintptr_t)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

/*
 * sbrk(inc): moves the break by inc bytes and returns the old break, or
 * (void *)-1 with errno set (ENOMEM, or ENOSYS without kernel brk).
 */
void *sbrk(long inc)
{
	if (cur_brk == 0) {
		long r = sys_raw1(SYS_brk, 0);
		if (sys_ret(r) == -1)
			return (void *)-1;
		cur_brk = (uintptr_t)r;
	}
	uintptr_t old = cur_brk;
	if (inc == 0)
		return (void *)old;
	if ((inc > 0 && old + inc < old) || (inc < 0 && old < (uintptr_t)-inc)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	if (brk((void *)(old + inc)) < 0)
		return (void *)-1;
	return (void *)old;
}
