/*
 * unistd.h: process and file-descriptor system calls.
 *
 * Every wrapper returns what Linux returns; on failure it sets errno and
 * returns -1 (sbrk: (void *)-1).
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

extern char **environ;

ssize_t read(int fd, void *buf, size_t len);
ssize_t write(int fd, const void *buf, size_t len);
int     close(int fd);
off_t   lseek(int fd, off_t off, int whence);
int     dup(int fd);
int     dup2(int oldfd, int newfd);
int     pipe(int fds[2]);
int     pipe2(int fds[2], int flags);
int     ftruncate(int fd, off_t len);
int     dup3(int oldfd, int newfd, int flags);
ssize_t pread(int fd, void *buf, size_t len, off_t off);
ssize_t pwrite(int fd, const void *buf, size_t len, off_t off);

__attribute__((noreturn)) void _exit(int status);
pid_t   getpid(void);
pid_t   getppid(void);
pid_t   fork(void);
int     execve(const char *path, char *const argv[], char *const envp[]);
int     execv(const char *path, char *const argv[]);

int     brk(void *addr);
void   *sbrk(long increment);
int     getpagesize(void);
/* sysconf: _SC_PAGESIZE (_SC_PAGE_SIZE) and _SC_CLK_TCK; others -1 EINVAL. */
#define _SC_CLK_TCK   2
#define _SC_PAGESIZE  30
#define _SC_PAGE_SIZE _SC_PAGESIZE
long    sysconf(int name);
unsigned sleep(unsigned seconds);
int     usleep(useconds_t usec);

/* Generic system call: nr, then up to six long arguments. */
long    syscall(long nr, ...);

#endif /* _UNISTD_H */
