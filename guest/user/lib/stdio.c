/*
 * stdio.c: FILE streams on file descriptors and the printf family.
 *
 * Output streams collect characters in their buffer; stdout is flushed at
 * '\n' (line buffered), stderr at the end of every call (unbuffered, but
 * one write() per call instead of one per character: a system call costs
 * tens of microseconds in the guest).  Formatting is fmt_vformat's job.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest/lib/fmt.h"

enum stdio_mode { STDIO_UNBUF, STDIO_LINE };

struct stdio_file {
	int fd;
	enum stdio_mode mode;
	int err;	/* a write failed */
	size_t len;	/* bytes waiting in buf */
	char buf[BUFSIZ];
};

static struct stdio_file stdio_files[3] = {
	{ .fd = 0, .mode = STDIO_UNBUF },
	{ .fd = 1, .mode = STDIO_LINE },
	{ .fd = 2, .mode = STDIO_UNBUF },
};

FILE *stdin = &stdio_files[0];
FILE *stdout = &stdio_files[1];
FILE *stderr = &stdio_files[2];

/* Writes out f's buffer, retrying short writes.  Returns 0 or EOF. */
static int stdio_drain(FILE *f)
{
	size_t off = 0;

	while (off < f->len) {
		ssize_t n = write(f->fd, f->buf + off, f->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			f->err = 1;
			f->len = 0;
			return EOF;
		}
		off += n;
	}
	f->len = 0;
	return 0;
}

static void stdio_putc(FILE *f, char c)
{
	f->buf[f->len++] = c;
	if (f->len == sizeof(f->buf) || (c == '\n' && f->mode == STDIO_LINE))
		stdio_drain(f);
}

/* End of a public output call: unbuffered streams go out now. */
static int stdio_done(FILE *f, int ret)
{
	if (f->mode == STDIO_UNBUF && stdio_drain(f) == EOF)
		return EOF;
	return f->err ? EOF : ret;
}

static void stdio_sink(void *ctx, char c)
{
	stdio_putc(ctx, c);
}

/* fflush(f), or every output stream when f is NULL.  0 or EOF. */
int fflush(FILE *f)
{
	if (!f)
		return (fflush(stdout) | fflush(stderr)) ? EOF : 0;
	return stdio_drain(f);
}

int fileno(FILE *f)
{
	return f->fd;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return stdio_done(f, fmt_vformat(stdio_sink, f, fmt, ap));
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

/* dprintf: formats straight to a descriptor through a private buffer. */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct stdio_file f = { .fd = fd, .mode = STDIO_UNBUF };

	return stdio_done(&f, fmt_vformat(stdio_sink, &f, fmt, ap));
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

/* vsnprintf: writes at most size bytes including the NUL (nothing when
 * size is 0); returns the length the full output would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)-1 / 2, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}

int fputc(int c, FILE *f)
{
	stdio_putc(f, (char)c);
	return stdio_done(f, (unsigned char)c);
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	while (*s)
		stdio_putc(f, *s++);
	return stdio_done(f, 0);
}

int puts(const char *s)
{
	while (*s)
		stdio_putc(stdout, *s++);
	stdio_putc(stdout, '\n');
	return stdio_done(stdout, 0);
}

/* fgetc: one byte per read(); EOF at end of file or on error.  Output
 * on stdout is flushed first so prompts appear. */
int fgetc(FILE *f)
{
	unsigned char c;

	if (f == stdin)
		fflush(stdout);
	for (;;) {
		ssize_t n = read(f->fd, &c, 1);
		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return EOF;
	}
}

int getchar(void)
{
	return fgetc(stdin);
}

/* fgets: reads up to size - 1 bytes, stopping after '\n'.  NULL when
 * nothing was read before end of file. */
char *fgets(char *buf, int size, FILE *f)
{
	int i = 0;

	if (size <= 0)
		return NULL;
	while (i < size - 1) {
		int c = fgetc(f);
		if (c == EOF)
			break;
		buf[i++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[i] = '\0';
	return i ? buf : NULL;
}
