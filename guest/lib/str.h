/*
 * str.h: the string functions the kernel and the user libc share, from
 * one source (str.c).  The kernel's mem* functions are its own (one
 * emulated `rep` instruction each, guest/string.c); the libc's are C.
 */
#ifndef GUEST_LIB_STR_H
#define GUEST_LIB_STR_H

#include <stddef.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);

#endif /* GUEST_LIB_STR_H */
