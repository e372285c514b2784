/*
 * console.c: COM1 as a write-only console.
 *
 * Bytes written to THR (offset 0) go to stdout, line buffered here rather
 * than in stdio so an interrupted write (the timeout signal is installed
 * without SA_RESTART) is simply retried.  Reads of LSR say "transmitter
 * empty" so a polling driver never waits; every other register reads 0 and
 * ignores writes (no interrupts, no divisor, no modem lines).
 */
#include <errno.h>
#include <unistd.h>

#include "guest/abi.h"
#include "vmm/console.h"

#define COM1_THR     0                          /* transmit holding */
#define COM1_LSR     (ABI_COM1_LSR - ABI_COM1_PORT)
#define LSR_THRE     0x20                       /* THR empty */
#define LSR_TEMT     0x40                       /* transmitter empty */

_Static_assert(COM1_LSR == 5, "LSR is COM1 + 5");

static char console_buf[4096];
static size_t console_len;

void console_flush(void)
{
	size_t done = 0;

	while (done < console_len) {
		ssize_t n = write(STDOUT_FILENO, console_buf + done,
				  console_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;  /* stdout gone: drop the console, keep the VM */
		done += (size_t)n;
	}
	console_len = 0;
}

void console_out(unsigned off, uint8_t byte)
{
	if (off != COM1_THR)
		return;
	console_buf[console_len++] = (char)byte;
	if (byte == '\n' || console_len == sizeof(console_buf))
		console_flush();
}

uint8_t console_in(unsigned off)
{
	return off == COM1_LSR ? LSR_THRE | LSR_TEMT : 0;
}
