/*
 * console.h: the kernel log (COM3) and the kernel's printf; the programs'
 * standard output and error (COM1, COM2).  The VMM puts "kernel: " before
 * each line of the log it prints, so messages do not say it themselves.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

/* The kernel log. */
void console_write(const char *buf, size_t n);
/* A program's write to fd 1 (stdout) or 2 (stderr). */
void console_write_user(int fd, const char *buf, size_t n);
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CONSOLE_H */
