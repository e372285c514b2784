/*
 * fmt.h: the printf engine, shared by the guest libc's stdio and the
 * host unit test (tests/unit/test_printf.c).  Self-contained: needs only
 * the compiler's <stdarg.h>.
 */
#ifndef USER_FMT_H
#define USER_FMT_H

#include <stdarg.h>

/* Receives each output character, in order. */
typedef void (*fmt_out_fn)(void *ctx, char c);

/*
 * Formats fmt with the arguments in ap, feeding every character to
 * out(ctx, c).  Supports %d %i %u %x %X %o %p %s %c %%, length modifiers
 * hh h l ll z j t, flags '-' '0' '+' ' ' '#', field width and precision
 * (digits or '*'), with C99/glibc semantics (NULL %s prints "(null)",
 * NULL %p prints "(nil)").  An unknown conversion is copied literally.
 * Returns the number of characters produced.
 */
int fmt_vformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap);

/*
 * vsnprintf on fmt_vformat: writes at most size bytes of buf, the last a
 * NUL (nothing when size is 0); returns the length the full output would
 * have.  The kernel's kvsnprintf and the libc's vsnprintf are this.
 */
int fmt_vsnprintf(char *buf, unsigned long size, const char *fmt,
		  va_list ap);

#endif /* USER_FMT_H */
