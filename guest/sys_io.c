/*
 * sys_io.c: write() to the standard streams: fd 1 to the VMM's stdout,
 * fd 2 to its stderr, fd 0 (a terminal's, read-write on Linux) like fd 1.
 * Open files (3 and up) are in sys_file.c.
 */
#include "console.h"
#include "file.h"
#include "syscall.h"
#include "uaccess.h"

#define WRITE_CHUNK 512

int64_t sys_write(struct trapframe *tf)
{
	int fd = (int)tf->rdi;
	const char *ubuf = (const char *)tf->rsi;
	uint64_t n = tf->rdx, done = 0;
	char kbuf[WRITE_CHUNK];

	if (fd >= FD_FIRST)
		return sys_file_write(fd, ubuf, n);
	if (fd < 0)
		return -EBADF;
	if (!uaccess_range_ok(ubuf, n))
		return -EFAULT;
	while (done < n) {
		uint64_t k = n - done < WRITE_CHUNK ? n - done : WRITE_CHUNK;

		if (copy_from_user(kbuf, ubuf + done, k))
			return done ? (int64_t)done : -EFAULT;
		console_write_user(fd, kbuf, k);
		done += k;
	}
	return (int64_t)done;
}
