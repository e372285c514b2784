/*
 * sysraw.h: raw system calls for the libc's own use (not installed).
 *
 * Entry is int $0x80, not the syscall instruction (unusable on the
 * kvm_pvm development hosts, see PLATFORM.md): rax = number, arguments in
 * rdi, rsi, rdx, r10, r8, r9, result in rax.  The kernel preserves every
 * other register; rcx and r11 are listed as clobbered anyway so a kernel
 * that shares code with a syscall-instruction path cannot hurt us.
 * Results in [-4095, -1] are -errno; sys_ret() turns them into errno.
 *
 * SYSRAW_TRAP can be overridden (-DSYSRAW_TRAP='"syscall"') to build the
 * libc and its test programs as ordinary Linux executables, which is how
 * the libc is tested on the host without the VM.
 */
#ifndef USER_SYSRAW_H
#define USER_SYSRAW_H

#include <errno.h>
#include <sys/syscall.h>

#ifndef SYSRAW_TRAP
#define SYSRAW_TRAP "int $0x80"
#endif

static inline long sys_raw6(long nr, long a1, long a2, long a3, long a4,
			    long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile(SYSRAW_TRAP
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define sys_raw0(nr)             sys_raw6(nr, 0, 0, 0, 0, 0, 0)
#define sys_raw1(nr, a)          sys_raw6(nr, (long)(a), 0, 0, 0, 0, 0)
#define sys_raw2(nr, a, b)       sys_raw6(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys_raw3(nr, a, b, c) \
	sys_raw6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys_raw4(nr, a, b, c, d) \
	sys_raw6(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* Map a raw result to the libc convention: -1 with errno set on error. */
static inline long sys_ret(long r)
{
	if ((unsigned long)r >= (unsigned long)-4095) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#endif /* USER_SYSRAW_H */
