/* mman.c: memory-mapping system calls. */
#include <stdarg.h>
#include <sys/mman.h>

#include "sysraw.h"

/* mmap returns the mapping, or MAP_FAILED with errno set. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = sys_raw6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);

	return (void *)sys_ret(r);	/* -1 == MAP_FAILED */
}

int munmap(void *addr, size_t len)
{
	return sys_ret(sys_raw2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return sys_ret(sys_raw3(SYS_mprotect, addr, len, prot));
}

int madvise(void *addr, size_t len, int advice)
{
	return sys_ret(sys_raw3(SYS_madvise, addr, len, advice));
}

int msync(void *addr, size_t len, int flags)
{
	return sys_ret(sys_raw3(SYS_msync, addr, len, flags));
}

int mincore(void *addr, size_t len, unsigned char *vec)
{
	return sys_ret(sys_raw3(SYS_mincore, addr, len, vec));
}

/* mremap(old, old_len, new_len, flags[, new_addr with MREMAP_FIXED]) */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = 0;

	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)sys_ret(sys_raw6(SYS_mremap, (long)old, (long)old_len,
					(long)new_len, flags, (long)new_addr, 0));
}

int mlock(const void *addr, size_t len)
{
	return sys_ret(sys_raw2(SYS_mlock, addr, len));
}

int mlock2(const void *addr, size_t len, unsigned flags)
{
	return sys_ret(sys_raw3(SYS_mlock2, addr, len, flags));
}

int munlock(const void *addr, size_t len)
{
	return sys_ret(sys_raw2(SYS_munlock, addr, len));
}

int mlockall(int flags)
{
	return sys_ret(sys_raw1(SYS_mlockall, flags));
}

int munlockall(void)
{
	return sys_ret(sys_raw1(SYS_munlockall, 0));
}
