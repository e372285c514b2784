/* kstring.h: the few libc string functions the kernel uses: its own
 * mem* (string.c) and the shared str* (guest/lib/str.h). */
#ifndef KSTRING_H
#define KSTRING_H

#include <stddef.h>
#include "guest/lib/str.h"

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif /* KSTRING_H */
