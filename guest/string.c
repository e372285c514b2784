/*
 * string.c: kernel string functions.  memset/memcpy use string
 * instructions: on a software-virtualized host a `rep` instruction is
 * emulated once, however long, where a C loop costs per byte.
 */
#include <stdint.h>
#include "kstring.h"

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst >= (uintptr_t)src + n)
		return memcpy(dst, src, n);
	/* overlapping, destination above the source: copy backwards */
	char *d = (char *)dst + n - 1;
	const char *s = (const char *)src + n - 1;

	__asm__ volatile("std; rep movsb; cld"
			 : "+D"(d), "+S"(s), "+c"(n) : : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if (!n)
		return 0;
	/* repe cmpsb stops after the first differing byte (or n bytes):
	   compare the last pair it looked at. */
	__asm__ volatile("repe cmpsb" : "+S"(x), "+D"(y), "+c"(n) : : "memory", "cc");
	return x[-1] - y[-1];
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

