/*
 * textbuf.h: appending text to a bounded buffer, for the maps and vmstat
 * listings (mm/ has no printf of its own).
 */
#ifndef MM_TEXTBUF_H
#define MM_TEXTBUF_H

#include <stddef.h>
#include <stdint.h>

struct tbuf {
	char *buf;
	size_t cap;     /* bytes available, including the NUL */
	size_t len;     /* length the full text needs so far */
};

void tbuf_init(struct tbuf *b, char *buf, size_t cap);
void tbuf_char(struct tbuf *b, char c);
void tbuf_str(struct tbuf *b, const char *s);
void tbuf_dec(struct tbuf *b, uint64_t v);
void tbuf_hex(struct tbuf *b, uint64_t v, unsigned min_digits);
size_t tbuf_finish(struct tbuf *b);

#endif /* MM_TEXTBUF_H */
