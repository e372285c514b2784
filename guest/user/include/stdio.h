/*
 * stdio.h: formatted output on file descriptors.
 *
 * stdout is line buffered (flushed at '\n', when full, on fflush and at
 * exit), stderr is unbuffered, stdin is read unbuffered.  Formats: see
 * guest/user/lib/fmt.h (%d %i %u %x %X %o %p %s %c %% with h/hh/l/ll/z/j/t,
 * flags "-0+ #", width, precision, '*').
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF    (-1)
#define BUFSIZ 1024

typedef struct stdio_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define __fmtcheck(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) __fmtcheck(1, 2);
int fprintf(FILE *f, const char *fmt, ...) __fmtcheck(2, 3);
int sprintf(char *buf, const char *fmt, ...) __fmtcheck(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __fmtcheck(3, 4);
int dprintf(int fd, const char *fmt, ...) __fmtcheck(2, 3);
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);

int puts(const char *s);
int fputs(const char *s, FILE *f);
int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fflush(FILE *f);
int fileno(FILE *f);

int   getchar(void);
int   fgetc(FILE *f);
char *fgets(char *buf, int size, FILE *f);

void perror(const char *msg);

#endif /* _STDIO_H */
