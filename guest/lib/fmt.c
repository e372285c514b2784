/*
 * fmt.c: the printf engine.  Freestanding and self-contained (only the
 * compiler's <stdarg.h>, <stddef.h>, <stdint.h>) so the host unit test
 * can compile this very file and compare it with glibc's snprintf.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "fmt.h"

#define FMT_LEFT   0x01	/* '-' */
#define FMT_ZERO   0x02	/* '0' */
#define FMT_PLUS   0x04	/* '+' */
#define FMT_SPACE  0x08	/* ' ' */
#define FMT_ALT    0x10	/* '#' */

/* One conversion specification, plus the output sink and a running count. */
struct fmt_spec {
	fmt_out_fn out;
	void *ctx;
	int count;
	int flags;
	int width;	/* 0 = none */
	int prec;	/* -1 = none */
};

static void fmt_put(struct fmt_spec *sp, char c)
{
	sp->out(sp->ctx, c);
	sp->count++;
}

static void fmt_repeat(struct fmt_spec *sp, char c, int n)
{
	while (n-- > 0)
		fmt_put(sp, c);
}

/* Emits s[0..len) padded with spaces to the field width. */
static void fmt_padded(struct fmt_spec *sp, const char *s, int len)
{
	int pad = sp->width - len;

	if (!(sp->flags & FMT_LEFT))
		fmt_repeat(sp, ' ', pad);
	for (int i = 0; i < len; i++)
		fmt_put(sp, s[i]);
	if (sp->flags & FMT_LEFT)
		fmt_repeat(sp, ' ', pad);
}

static void fmt_string(struct fmt_spec *sp, const char *s)
{
	int len = 0;

	if (!s)	/* glibc: "(null)", or nothing if precision cuts it */
		s = (sp->prec < 0 || sp->prec >= 6) ? "(null)" : "";
	while (s[len] && (sp->prec < 0 || len < sp->prec))
		len++;
	fmt_padded(sp, s, len);
}

/*
 * An integer conversion: magnitude v in the given base, with an optional
 * sign character (0 = none) and the "0x"/"0X" prefix for '#' hex.
 * Layout: [spaces] sign prefix [zeros] digits [spaces].
 */
static void fmt_integer(struct fmt_spec *sp, unsigned long long v, int base,
			int upper, char sign)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];	/* 22 octal digits hold 2^64 - 1 */
	int n = 0;
	const char *prefix = "";

	while (v) {
		buf[n++] = dig[v % base];
		v /= base;
	}
	int digits = n;
	if (sp->prec < 0 && n == 0)
		digits = 1;	/* "0"; an explicit precision 0 prints none */
	if (sp->prec > digits)
		digits = sp->prec;
	if (base == 8 && (sp->flags & FMT_ALT) && digits <= n)
		digits = n + 1;	/* '#o' guarantees a leading zero */
	if (base == 16 && (sp->flags & FMT_ALT) && n > 0)
		prefix = upper ? "0X" : "0x";

	int plen = (sign != 0) + (prefix[0] ? 2 : 0);
	int pad = sp->width - plen - digits;
	int zero_pad = (sp->flags & FMT_ZERO) && !(sp->flags & FMT_LEFT) &&
		       sp->prec < 0;

	if (!zero_pad && !(sp->flags & FMT_LEFT))
		fmt_repeat(sp, ' ', pad);
	if (sign)
		fmt_put(sp, sign);
	for (const char *p = prefix; *p; p++)
		fmt_put(sp, *p);
	if (zero_pad)
		fmt_repeat(sp, '0', pad);
	fmt_repeat(sp, '0', digits - n);
	while (n > 0)
		fmt_put(sp, buf[--n]);
	if (sp->flags & FMT_LEFT)
		fmt_repeat(sp, ' ', pad);
}

/* Length modifiers, as the size of the argument they select. */
enum fmt_len { LEN_HH, LEN_H, LEN_INT, LEN_LONG, LEN_LLONG };

static long long fmt_signed_arg(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:	return (signed char)va_arg(*ap, int);
	case LEN_H:	return (short)va_arg(*ap, int);
	case LEN_INT:	return va_arg(*ap, int);
	case LEN_LONG:	return va_arg(*ap, long);
	default:	return va_arg(*ap, long long);
	}
}

static unsigned long long fmt_unsigned_arg(va_list *ap, enum fmt_len len)
{
	switch (len) {
	case LEN_HH:	return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H:	return (unsigned short)va_arg(*ap, unsigned);
	case LEN_INT:	return va_arg(*ap, unsigned);
	case LEN_LONG:	return va_arg(*ap, unsigned long);
	default:	return va_arg(*ap, unsigned long long);
	}
}

/* Parses flags, width, precision and length at *pf; advances *pf. */
static enum fmt_len fmt_parse_spec(struct fmt_spec *sp, const char **pf,
				   va_list *ap)
{
	const char *f = *pf;
	enum fmt_len len = LEN_INT;

	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')      sp->flags |= FMT_LEFT;
		else if (*f == '0') sp->flags |= FMT_ZERO;
		else if (*f == '+') sp->flags |= FMT_PLUS;
		else if (*f == ' ') sp->flags |= FMT_SPACE;
		else if (*f == '#') sp->flags |= FMT_ALT;
		else break;
	}
	if (*f == '*') {
		f++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {	/* negative '*' width means '-' */
			sp->flags |= FMT_LEFT;
			sp->width = -sp->width;
		}
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			f++;
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)	/* as if omitted */
				sp->prec = -1;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->prec = sp->prec * 10 + (*f++ - '0');
		}
	}
	switch (*f) {
	case 'h':
		f++;
		len = LEN_H;
		if (*f == 'h') {
			f++;
			len = LEN_HH;
		}
		break;
	case 'l':
		f++;
		len = LEN_LONG;
		if (*f == 'l') {
			f++;
			len = LEN_LLONG;
		}
		break;
	case 'z': case 'j': case 't':	/* size_t, intmax_t, ptrdiff_t: 64-bit */
		f++;
		len = LEN_LONG;
		break;
	}
	*pf = f;
	return len;
}

/* Formats one conversion: letter conv, length len, spec already parsed. */
static void fmt_convert(struct fmt_spec *sp, char conv, enum fmt_len len,
			va_list *ap)
{
	char sign = 0;
	char c;
	long long s;
	unsigned long long u;
	void *p;

	switch (conv) {
	case 'd':
	case 'i':
		s = fmt_signed_arg(ap, len);
		u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
		if (s < 0)
			sign = '-';
		else if (sp->flags & FMT_PLUS)
			sign = '+';
		else if (sp->flags & FMT_SPACE)
			sign = ' ';
		fmt_integer(sp, u, 10, 0, sign);
		break;
	case 'u':
		fmt_integer(sp, fmt_unsigned_arg(ap, len), 10, 0, 0);
		break;
	case 'x':
	case 'X':
		fmt_integer(sp, fmt_unsigned_arg(ap, len), 16, conv == 'X', 0);
		break;
	case 'o':
		fmt_integer(sp, fmt_unsigned_arg(ap, len), 8, 0, 0);
		break;
	case 'p':
		p = va_arg(*ap, void *);
		if (!p) {
			sp->prec = -1;
			fmt_string(sp, "(nil)");
			break;
		}
		sp->flags |= FMT_ALT;
		fmt_integer(sp, (uintptr_t)p, 16, 0, 0);
		break;
	case 's':
		fmt_string(sp, va_arg(*ap, const char *));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		fmt_padded(sp, &c, 1);
		break;
	case '%':
		fmt_put(sp, '%');
		break;
	default:	/* unknown conversion: copy it (flags are lost) */
		fmt_put(sp, '%');
		fmt_put(sp, conv);
		break;
	}
}

int fmt_vformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap)
{
	struct fmt_spec sp = { .out = out, .ctx = ctx };
	va_list args;

	/* Copy so that helpers can take a pointer to it portably. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			fmt_put(&sp, *fmt++);
			continue;
		}
		const char *start = fmt++;
		enum fmt_len len = fmt_parse_spec(&sp, &fmt, &args);
		if (!*fmt) {	/* dangling '%...' at the end: copy it */
			while (start < fmt)
				fmt_put(&sp, *start++);
			break;
		}
		fmt_convert(&sp, *fmt++, len, &args);
	}
	va_end(args);
	return sp.count;
}

/* A bounded string sink: keeps size - 1 characters and the NUL. */
struct fmt_strbuf {
	char *buf;
	unsigned long size, len;
};

static void fmt_str_sink(void *ctx, char c)
{
	struct fmt_strbuf *sb = ctx;

	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = c;
	sb->len++;
}

int fmt_vsnprintf(char *buf, unsigned long size, const char *fmt,
		  va_list ap)
{
	struct fmt_strbuf sb = { buf, size, 0 };
	int n = fmt_vformat(fmt_str_sink, &sb, fmt, ap);

	if (size)
		buf[sb.len < size ? sb.len : size - 1] = '\0';
	return n;
}
