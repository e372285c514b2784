/*
 * printk.c: kprintf and ksnprintf on top of the printf engine shared with
 * the user libc (guest/user/lib/fmt.c).  kprintf formats into a small
 * buffer and flushes it with one console write per line.
 */
#include <stdint.h>
#include "console.h"
#include "guest/lib/fmt.h"

struct kbuf {
	char buf[256];
	size_t len;
};

static void kbuf_flush(struct kbuf *b)
{
	console_write(b->buf, b->len);
	b->len = 0;
}

static void kbuf_putc(void *ctx, char c)
{
	struct kbuf *b = ctx;

	b->buf[b->len++] = c;
	if (b->len == sizeof(b->buf) || c == '\n')
		kbuf_flush(b);
}

int kvprintf(const char *fmt, va_list ap)
{
	struct kbuf b = { .len = 0 };
	int n = fmt_vformat(kbuf_putc, &b, fmt, ap);

	kbuf_flush(&b);
	return n;
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvprintf(fmt, ap);
	va_end(ap);
	return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
