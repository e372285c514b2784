/*
 * syscall.c: the system-call table (xv6's [SYS_fork] sys_fork style).
 * Reached from `int $0x80` (trap.c).  A number without an entry returns
 * -ENOSYS, as Linux does.
 */
#include "pipe.h"
#include "proc.h"
#include "sig.h"
#include "syscall.h"

static const syscall_fn syscalls[] = {
	[SYS_read] = sys_read,
	[SYS_write] = sys_write,
	[SYS_open] = sys_open,
	[SYS_close] = sys_close,
	[SYS_lseek] = sys_lseek,
	[SYS_openat] = sys_openat,
	[SYS_pread64] = sys_pread64,
	[SYS_pwrite64] = sys_pwrite64,
	[SYS_pipe] = sys_pipe,
	[SYS_pipe2] = sys_pipe2,
	[SYS_dup] = sys_dup,
	[SYS_dup2] = sys_dup2,
	[SYS_dup3] = sys_dup3,
	[SYS_fcntl] = sys_fcntl,
	[SYS_fstat] = sys_fstat,
	[SYS_ftruncate] = sys_ftruncate,
	[SYS_fallocate] = sys_fallocate,
	[SYS_memfd_create] = sys_memfd_create,
	[SYS_mmap] = sys_mmap,
	[SYS_mprotect] = sys_mprotect,
	[SYS_munmap] = sys_munmap,
	[SYS_brk] = sys_brk,
	[SYS_madvise] = sys_madvise,
	[SYS_mremap] = sys_mremap,
	[SYS_mlock] = sys_mlock,
	[SYS_mlock2] = sys_mlock2,
	[SYS_munlock] = sys_munlock,
	[SYS_mlockall] = sys_mlockall,
	[SYS_munlockall] = sys_munlockall,
	[SYS_msync] = sys_msync,
	[SYS_mincore] = sys_mincore,
	[SYS_getrusage] = sys_getrusage,
	[SYS_getrlimit] = sys_getrlimit,
	[SYS_setrlimit] = sys_setrlimit,
	[SYS_prlimit64] = sys_prlimit64,
	[SYS_uname] = sys_uname,
	[SYS_clock_gettime] = sys_clock_gettime,
	[SYS_clock_getres] = sys_clock_getres,
	[SYS_gettimeofday] = sys_gettimeofday,
	[SYS_time] = sys_time,
	[SYS_sched_yield] = sys_sched_yield,
	[SYS_nanosleep] = sys_nanosleep,
	[SYS_getpid] = sys_getpid,
	[SYS_fork] = sys_fork,
	[SYS_execve] = sys_execve,
	[SYS_exit] = sys_exit,
	[SYS_wait4] = sys_wait4,
	[SYS_getppid] = sys_getppid,
	[SYS_kill] = sys_kill,
	[SYS_rt_sigaction] = sys_rt_sigaction,
	[SYS_rt_sigprocmask] = sys_rt_sigprocmask,
	[SYS_rt_sigreturn] = sys_rt_sigreturn,
	[SYS_rt_sigpending] = sys_rt_sigpending,
	[SYS_sigaltstack] = sys_sigaltstack,
	[SYS_exit_group] = sys_exit,
	[SYS_vmm_vmstat] = sys_vmm_vmstat,
	[SYS_vmm_maps] = sys_vmm_maps,
	[SYS_vmm_checkpoint] = sys_vmm_checkpoint,
	[SYS_vmm_mark] = sys_vmm_mark,
	[SYS_vmm_report] = sys_vmm_report,
	[SYS_vmm_region_copy] = sys_vmm_region_copy,
};

void syscall_dispatch(struct trapframe *tf)
{
	uint64_t nr = tf->rax;

	if (nr < sizeof(syscalls) / sizeof(syscalls[0]) && syscalls[nr]) {
		int64_t r = syscalls[nr](tf);

		if (r == -ERESTARTSYS)
			proc_current()->sig.restart_nr = nr;
		tf->rax = (uint64_t)r;
	} else {
		tf->rax = (uint64_t)-ENOSYS;
	}
}
