/* syscall.h: system-call dispatch (Linux x86-64 numbers and errnos). */
#ifndef SYSCALL_H
#define SYSCALL_H

#include <stdint.h>
#include "trapframe.h"

/* Linux x86-64 system-call numbers we implement. */
enum {
	SYS_read = 0, SYS_write = 1, SYS_open = 2, SYS_close = 3,
	SYS_lseek = 8, SYS_mmap = 9, SYS_mprotect = 10,
	SYS_pread64 = 17, SYS_pwrite64 = 18, SYS_pipe = 22, SYS_dup = 32,
	SYS_dup2 = 33, SYS_fcntl = 72, SYS_openat = 257, SYS_dup3 = 292,
	SYS_pipe2 = 293, SYS_mremap = 25, SYS_msync = 26, SYS_mincore = 27,
	SYS_uname = 63, SYS_gettimeofday = 96, SYS_getrlimit = 97,
	SYS_getrusage = 98, SYS_setrlimit = 160, SYS_time = 201,
	SYS_clock_gettime = 228, SYS_clock_getres = 229, SYS_prlimit64 = 302,
	SYS_fstat = 5, SYS_ftruncate = 77, SYS_fallocate = 285,
	SYS_memfd_create = 319, SYS_mlock = 149, SYS_munlock = 150,
	SYS_mlockall = 151, SYS_munlockall = 152, SYS_mlock2 = 325,
	SYS_rt_sigaction = 13, SYS_rt_sigprocmask = 14, SYS_rt_sigreturn = 15,
	SYS_munmap = 11, SYS_brk = 12, SYS_sched_yield = 24, SYS_madvise = 28,
	SYS_nanosleep = 35,
	SYS_getpid = 39, SYS_kill = 62,
	SYS_fork = 57, SYS_execve = 59, SYS_exit = 60, SYS_wait4 = 61, SYS_getppid = 110,
	SYS_rt_sigpending = 127, SYS_sigaltstack = 131,
	SYS_exit_group = 231,
	/* ours: introspection for test programs (vmmtest.h) */
	SYS_vmm_vmstat = 1000, SYS_vmm_maps = 1001,
	SYS_vmm_checkpoint = 1002, SYS_vmm_mark = 1003,
	SYS_vmm_region_copy = 1004, SYS_vmm_report = 1005,
};

/* Linux errno values. */
enum {
	EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, E2BIG = 7,
	ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12,
	EACCES = 13, EFAULT = 14, EEXIST = 17, EINVAL = 22, ERANGE = 34,
	ENAMETOOLONG = 36, ENOSYS = 38, ENFILE = 23, EMFILE = 24,
	ESPIPE = 29, ENODEV = 19, ENOTDIR = 20, EPIPE = 32, EOPNOTSUPP = 95, EFBIG = 27,
	/* Linux's kernel-internal: a blocking call a signal interrupted;
	 * sig_return_to_user restarts it (SA_RESTART, or no handler) or
	 * turns it into EINTR.  Programs never see it. */
	ERESTARTSYS = 512,
};

/* Arguments as Linux passes them: rdi rsi rdx r10 r8 r9; result in rax. */
typedef int64_t (*syscall_fn)(struct trapframe *tf);

void syscall_dispatch(struct trapframe *tf);

int64_t sys_write(struct trapframe *tf);
int64_t sys_read(struct trapframe *tf);
int64_t sys_open(struct trapframe *tf);
int64_t sys_close(struct trapframe *tf);
int64_t sys_lseek(struct trapframe *tf);
int64_t sys_openat(struct trapframe *tf);
int64_t sys_pread64(struct trapframe *tf);
int64_t sys_pwrite64(struct trapframe *tf);
int64_t sys_dup(struct trapframe *tf);
int64_t sys_dup2(struct trapframe *tf);
int64_t sys_dup3(struct trapframe *tf);
int64_t sys_fcntl(struct trapframe *tf);
int64_t sys_fstat(struct trapframe *tf);
int64_t sys_ftruncate(struct trapframe *tf);
int64_t sys_fallocate(struct trapframe *tf);
int64_t sys_memfd_create(struct trapframe *tf);
int64_t sys_exit(struct trapframe *tf);
int64_t sys_getpid(struct trapframe *tf);
int64_t sys_getppid(struct trapframe *tf);
int64_t sys_kill(struct trapframe *tf);
int64_t sys_sched_yield(struct trapframe *tf);
int64_t sys_nanosleep(struct trapframe *tf);
int64_t sys_fork(struct trapframe *tf);
int64_t sys_wait4(struct trapframe *tf);
int64_t sys_execve(struct trapframe *tf);
int64_t sys_mmap(struct trapframe *tf);
int64_t sys_munmap(struct trapframe *tf);
int64_t sys_mprotect(struct trapframe *tf);
int64_t sys_brk(struct trapframe *tf);
int64_t sys_madvise(struct trapframe *tf);
int64_t sys_mremap(struct trapframe *tf);
int64_t sys_mlock(struct trapframe *tf);
int64_t sys_mlock2(struct trapframe *tf);
int64_t sys_munlock(struct trapframe *tf);
int64_t sys_mlockall(struct trapframe *tf);
int64_t sys_munlockall(struct trapframe *tf);
int64_t sys_msync(struct trapframe *tf);
int64_t sys_mincore(struct trapframe *tf);
int64_t sys_getrusage(struct trapframe *tf);
int64_t sys_getrlimit(struct trapframe *tf);
int64_t sys_setrlimit(struct trapframe *tf);
int64_t sys_prlimit64(struct trapframe *tf);
int64_t sys_uname(struct trapframe *tf);
int64_t sys_clock_gettime(struct trapframe *tf);
int64_t sys_clock_getres(struct trapframe *tf);
int64_t sys_gettimeofday(struct trapframe *tf);
int64_t sys_time(struct trapframe *tf);
int64_t sys_vmm_vmstat(struct trapframe *tf);
int64_t sys_vmm_maps(struct trapframe *tf);
int64_t sys_vmm_checkpoint(struct trapframe *tf);
int64_t sys_vmm_mark(struct trapframe *tf);
int64_t sys_vmm_report(struct trapframe *tf);
int64_t sys_vmm_region_copy(struct trapframe *tf);

#endif /* SYSCALL_H */
