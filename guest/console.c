/*
 * console.c: the kernel's output channels (guest/abi.h): the kernel log
 * on COM3, and the programs' fd 1 and fd 2 on COM1 and COM2.  The VMM
 * emulates only the transmit side; one `rep outsb` hands it a whole
 * buffer in a single VM exit, so we never write byte by byte.
 */
#include "console.h"
#include "abi.h"
#include "x86.h"

void console_write(const char *buf, size_t n)
{
	if (n)
		outsb(ABI_KLOG_PORT, buf, n);
}

void console_write_user(int fd, const char *buf, size_t n)
{
	if (n)
		outsb(fd == 2 ? ABI_STDERR_PORT : ABI_STDOUT_PORT, buf, n);
}
