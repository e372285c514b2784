/*
 * textbuf.c: bounded text building.  Output past the capacity is dropped but
 * still counted, so tbuf_finish returns the length the text needs.
 */
#include "textbuf.h"

void tbuf_init(struct tbuf *b, char *buf, size_t cap)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	if (cap)
		buf[0] = '\0';
}

void tbuf_char(struct tbuf *b, char c)
{
	if (b->len + 1 < b->cap)
		b->buf[b->len] = c;
	b->len++;
}

void tbuf_str(struct tbuf *b, const char *s)
{
	while (*s)
		tbuf_char(b, *s++);
}

void tbuf_dec(struct tbuf *b, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		tbuf_char(b, tmp[--n]);
}

/* Lower-case hex, zero-padded to at least min_digits. */
void tbuf_hex(struct tbuf *b, uint64_t v, unsigned min_digits)
{
	char tmp[16];
	unsigned n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	for (; min_digits > n; min_digits--)
		tbuf_char(b, '0');
	while (n)
		tbuf_char(b, tmp[--n]);
}

/* NUL-terminate (truncating if needed); returns the full length. */
size_t tbuf_finish(struct tbuf *b)
{
	if (b->cap)
		b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
	return b->len;
}
