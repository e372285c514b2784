/*
 * sys_io.c: I/O system calls.  fd 1 and 2 are the console; there is no
 * file table yet.
 */
#include "console.h"
#include "syscall.h"
#include "uaccess.h"

#define WRITE_CHUNK 512

int64_t sys_write(struct trapframe *tf)
{
	int fd = (int)tf->rdi;
	const char *ubuf = (const char *)tf->rsi;
	uint64_t n = tf->rdx, done = 0;
	char kbuf[WRITE_CHUNK];

	if (fd != 1 && fd != 2)
		return -EBADF;
	if (!uaccess_range_ok(ubuf, n))
		return -EFAULT;
	while (done < n) {
		uint64_t k = n - done < WRITE_CHUNK ? n - done : WRITE_CHUNK;

		if (copy_from_user(kbuf, ubuf + done, k))
			return done ? (int64_t)done : -EFAULT;
		console_write(kbuf, k);
		done += k;
	}
	return (int64_t)done;
}
