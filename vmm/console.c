/*
 * console.c: the guest's output streams (console.h).
 *
 * Each stream is line buffered here rather than in stdio so an
 * interrupted write (the timeout signal is installed without SA_RESTART)
 * is simply retried.  Reads of LSR say "transmitter empty" so a polling
 * driver never waits; every other register reads 0 and ignores writes
 * (no interrupts, no divisor, no modem lines).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "guest/abi.h"
#include "vmm/console.h"

#define UART_THR     0                           /* transmit holding */
#define UART_LSR     (ABI_STDOUT_LSR - ABI_STDOUT_PORT)
#define LSR_THRE     0x20                        /* THR empty */
#define LSR_TEMT     0x40                        /* transmitter empty */

_Static_assert(UART_LSR == 5, "LSR is the UART's base + 5");

struct console {
	int fd;                 /* where the stream's bytes go */
	const char *prefix;     /* written before every line, or NULL */
	bool at_line_start;
	size_t len;
	char buf[4096];
};

static struct console consoles[CONSOLE_NSTREAMS] = {
	[CONSOLE_STDOUT] = { .fd = STDOUT_FILENO, .at_line_start = true },
	[CONSOLE_STDERR] = { .fd = STDERR_FILENO, .at_line_start = true },
	[CONSOLE_KLOG]   = { .fd = STDERR_FILENO, .at_line_start = true,
			     .prefix = CONSOLE_KLOG_PREFIX },
};

int console_setup(bool merged, const char *klog_path)
{
	if (merged) {
		for (int s = 0; s < CONSOLE_NSTREAMS; s++)
			consoles[s].fd = STDOUT_FILENO;
	}
	if (klog_path) {
		int fd = open(klog_path, O_WRONLY | O_CREAT | O_TRUNC |
			      O_CLOEXEC, 0644);

		if (fd < 0)
			return -1;
		consoles[CONSOLE_KLOG].fd = fd;
		consoles[CONSOLE_KLOG].prefix = NULL;
	}
	return 0;
}

static void console_write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;  /* output gone: drop it, keep the VM */
		p += k;
		n -= (size_t)k;
	}
}

static void console_flush_one(struct console *c)
{
	console_write_all(c->fd, c->buf, c->len);
	c->len = 0;
}

void console_flush(void)
{
	for (int s = 0; s < CONSOLE_NSTREAMS; s++)
		console_flush_one(&consoles[s]);
}

void console_out(enum console_stream s, unsigned off, uint8_t byte)
{
	struct console *c = &consoles[s];

	if (off != UART_THR)
		return;
	if (c->at_line_start && c->prefix) {
		size_t n = strlen(c->prefix);

		if (c->len + n >= sizeof(c->buf))
			console_flush_one(c);
		memcpy(c->buf + c->len, c->prefix, n);
		c->len += n;
	}
	c->buf[c->len++] = (char)byte;
	c->at_line_start = byte == '\n';
	if (byte == '\n' || c->len == sizeof(c->buf))
		console_flush_one(c);
}

uint8_t console_in(unsigned off)
{
	return off == UART_LSR ? LSR_THRE | LSR_TEMT : 0;
}
