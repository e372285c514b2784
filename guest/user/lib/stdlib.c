/* stdlib.c: exit/atexit/abort, assert failure, number parsing, getenv. */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STDLIB_ATEXIT_MAX 32

static void (*atexit_fns[STDLIB_ATEXIT_MAX])(void);
static int atexit_count;

/* atexit: registers fn to run at exit(), last registered first.
 * Returns 0, or -1 when the table (32 entries) is full. */
int atexit(void (*fn)(void))
{
	if (atexit_count == STDLIB_ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

/* exit: atexit handlers, then flush stdio, then end the process. */
void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	fflush(NULL);
	_exit(status);
}

/*
 * abort: raise SIGABRT unblocked; if a handler returns, again with the
 * default action (as POSIX requires); stdio is not flushed (as in glibc).
 */
void abort(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
	_exit(127);
}

void __assert_fail(const char *expr, const char *file, int line,
		   const char *func)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: %s: assertion `%s' failed\n",
		file, line, func, expr);
	abort();
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/*
 * The common parser: optional white space, sign, base prefix (base 0:
 * 0x = 16, 0 = 8, else 10; base 16 accepts 0x), digits.  Stores the
 * magnitude clamped to limit (and sets *overflow) in *mag, the sign in
 * *neg; returns the end of the number (s itself when there are no digits).
 */
static const char *parse_uint(const char *s, int base, unsigned long long limit,
			      unsigned long long *mag, int *neg, int *overflow)
{
	const char *start = s, *p;
	unsigned long long v = 0;
	int any = 0;

	*neg = 0;
	*overflow = 0;
	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '+' || *s == '-')
		*neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	if (base < 2 || base > 36) {
		errno = EINVAL;
		*mag = 0;
		return start;
	}
	for (p = s; digit_value(*p) < base; p++) {
		unsigned d = digit_value(*p);
		any = 1;
		if (v > (limit - d) / base) {
			*overflow = 1;
			v = limit;
		} else if (!*overflow) {
			v = v * base + d;
		}
	}
	*mag = v;
	return any ? p : start;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	unsigned long long v;
	int neg, ovf;
	const char *e = parse_uint(s, base, ULLONG_MAX, &v, &neg, &ovf);

	if (end)
		*end = (char *)e;
	if (ovf) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);	/* long long == long on LP64 */
}

long long strtoll(const char *s, char **end, int base)
{
	unsigned long long v;
	int neg, ovf;
	const char *e = parse_uint(s, base, (unsigned long long)LLONG_MAX + 1,
				   &v, &neg, &ovf);

	if (end)
		*end = (char *)e;
	if (!neg && v > LLONG_MAX)
		ovf = 1;
	if (ovf) {
		errno = ERANGE;
		return neg ? LLONG_MIN : LLONG_MAX;
	}
	return neg ? (long long)-v : (long long)v;
}

long strtol(const char *s, char **end, int base)
{
	return strtoll(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int abs(int v)
{
	return v < 0 ? -v : v;
}

long labs(long v)
{
	return v < 0 ? -v : v;
}

/* getenv: the value of NAME in environ, or NULL. */
char *getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}
