/*
 * test_printf: the guest libc's printf engine (guest/lib/fmt.c),
 * compiled for the host, must produce exactly what glibc's snprintf does
 * for every format in the tables below.  One TCase per family of
 * conversions; a failure names the format, the value, both outputs.
 */
#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "guest/lib/fmt.h"

#define OUT_MAX 256

struct sink {
	char buf[OUT_MAX];
	size_t len;
};

static void sink_put(void *ctx, char c)
{
	struct sink *s = ctx;

	if (s->len + 1 < sizeof(s->buf))
		s->buf[s->len] = c;
	s->len++;
}

/* fmt_vformat into buf (NUL-terminated, truncated at OUT_MAX - 1). */
static int ours(char *buf, const char *fmt, ...)
{
	struct sink s = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vformat(sink_put, &s, fmt, ap);
	va_end(ap);
	s.buf[s.len < OUT_MAX ? s.len : OUT_MAX - 1] = '\0';
	memcpy(buf, s.buf, OUT_MAX);
	ck_assert_msg((size_t)n == s.len,
		      "fmt_vformat(\"%s\") returned %d but emitted %zu chars",
		      fmt, n, s.len);
	return n;
}

/* The argument types a case can pass. */
enum arg_type { A_INT, A_UINT, A_LONG, A_ULONG, A_LLONG, A_ULLONG, A_SIZE,
		A_STR, A_PTR, A_WIDTH_INT, A_WIDTH_PREC_INT, A_WIDTH_STR,
		A_NONE };

struct fmt_case {
	const char *fmt;
	enum arg_type type;
	long long i;		/* integer value (or width for A_WIDTH_*) */
	const char *s;		/* string value */
	int w, p;		/* '*' width and precision */
};

/* Formats one case with both implementations and compares. */
static void run_case(const struct fmt_case *c)
{
	char want[OUT_MAX] = "", got[OUT_MAX] = "";
	int wn = 0, gn = 0;

	switch (c->type) {
	case A_INT:
		wn = snprintf(want, OUT_MAX, c->fmt, (int)c->i);
		gn = ours(got, c->fmt, (int)c->i);
		break;
	case A_UINT:
		wn = snprintf(want, OUT_MAX, c->fmt, (unsigned)c->i);
		gn = ours(got, c->fmt, (unsigned)c->i);
		break;
	case A_LONG:
		wn = snprintf(want, OUT_MAX, c->fmt, (long)c->i);
		gn = ours(got, c->fmt, (long)c->i);
		break;
	case A_ULONG:
		wn = snprintf(want, OUT_MAX, c->fmt, (unsigned long)c->i);
		gn = ours(got, c->fmt, (unsigned long)c->i);
		break;
	case A_LLONG:
		wn = snprintf(want, OUT_MAX, c->fmt, c->i);
		gn = ours(got, c->fmt, c->i);
		break;
	case A_ULLONG:
		wn = snprintf(want, OUT_MAX, c->fmt, (unsigned long long)c->i);
		gn = ours(got, c->fmt, (unsigned long long)c->i);
		break;
	case A_SIZE:
		wn = snprintf(want, OUT_MAX, c->fmt, (size_t)c->i);
		gn = ours(got, c->fmt, (size_t)c->i);
		break;
	case A_STR:
		wn = snprintf(want, OUT_MAX, c->fmt, c->s);
		gn = ours(got, c->fmt, c->s);
		break;
	case A_PTR:
		wn = snprintf(want, OUT_MAX, c->fmt, (void *)(uintptr_t)c->i);
		gn = ours(got, c->fmt, (void *)(uintptr_t)c->i);
		break;
	case A_WIDTH_INT:
		wn = snprintf(want, OUT_MAX, c->fmt, c->w, (int)c->i);
		gn = ours(got, c->fmt, c->w, (int)c->i);
		break;
	case A_WIDTH_PREC_INT:
		wn = snprintf(want, OUT_MAX, c->fmt, c->w, c->p, (int)c->i);
		gn = ours(got, c->fmt, c->w, c->p, (int)c->i);
		break;
	case A_WIDTH_STR:
		wn = snprintf(want, OUT_MAX, c->fmt, c->w, c->s);
		gn = ours(got, c->fmt, c->w, c->s);
		break;
	case A_NONE:
		wn = snprintf(want, OUT_MAX, c->fmt, 0);
		gn = ours(got, c->fmt, 0);
		break;
	}
	ck_assert_msg(strcmp(want, got) == 0 && wn == gn,
		      "format \"%s\" (value %lld, \"%s\"): got \"%s\" (%d), "
		      "glibc \"%s\" (%d)", c->fmt, c->i, c->s ? c->s : "-",
		      got, gn, want, wn);
}

/* Table rows: C = one integer, S = one string, W = '*' arguments first. */
#define C(f, t, v)  { .fmt = f, .type = t, .i = (v) }
#define S(f, str)   { .fmt = f, .type = A_STR, .s = str }
#define W(f, t, v, str, wd, pr) \
	{ .fmt = f, .type = t, .i = (v), .s = str, .w = wd, .p = pr }

#define RUN_TABLE(t) \
	for (size_t k = 0; k < sizeof(t) / sizeof((t)[0]); k++) \
		run_case(&(t)[k])

static const struct fmt_case signed_cases[] = {
	C("%d", A_INT, 0), C("%d", A_INT, 42), C("%i", A_INT, -42),
	C("%d", A_INT, INT_MAX), C("%d", A_INT, INT_MIN),
	C("%ld", A_LONG, LONG_MAX), C("%ld", A_LONG, LONG_MIN),
	C("%lld", A_LLONG, LLONG_MAX), C("%lld", A_LLONG, LLONG_MIN),
	C("%zd", A_SIZE, -5), C("%jd", A_LLONG, -77), C("%td", A_LONG, 9),
	C("%hd", A_INT, 70000), C("%hhd", A_INT, 255), C("%hhi", A_INT, 128),
	C("[%8d]", A_INT, -123), C("[%-8d]", A_INT, -123),
	C("[%08d]", A_INT, -123), C("[%-08d]", A_INT, 123),
	C("[%+d]", A_INT, 5), C("[%+d]", A_INT, -5), C("[% d]", A_INT, 5),
	C("[%+ d]", A_INT, 5), C("[%+05d]", A_INT, 5), C("[% 05d]", A_INT, 5),
	C("[%.5d]", A_INT, 42), C("[%.5d]", A_INT, -42),
	C("[%8.5d]", A_INT, -42), C("[%-8.5d]", A_INT, 42),
	C("[%08.3d]", A_INT, 42), C("[%.0d]", A_INT, 0),
	C("[%5.0d]", A_INT, 0), C("[%+.0d]", A_INT, 0), C("[%.0d]", A_INT, 1),
	C("[%1d]", A_INT, 12345), C("[%30lld]", A_LLONG, LLONG_MIN),
	C("[%.25lld]", A_LLONG, LLONG_MIN),
};

static const struct fmt_case unsigned_cases[] = {
	C("%u", A_UINT, 0), C("%u", A_UINT, UINT_MAX),
	C("%lu", A_ULONG, -1), C("%llu", A_ULLONG, -1), C("%zu", A_SIZE, 12345),
	C("%x", A_UINT, 0xdeadbeef), C("%X", A_UINT, 0xdeadbeef),
	C("%lx", A_ULONG, -1), C("%llx", A_ULLONG, 0x123456789abcdef0LL),
	C("%#x", A_UINT, 255), C("%#X", A_UINT, 255), C("%#x", A_UINT, 0),
	C("[%#08x]", A_UINT, 255), C("[%#-8x]", A_UINT, 255),
	C("[%#.4x]", A_UINT, 255), C("[%#10.4x]", A_UINT, 255),
	C("%o", A_UINT, 8), C("%#o", A_UINT, 8), C("%#o", A_UINT, 0),
	C("%lo", A_ULONG, -1), C("[%#.0o]", A_UINT, 0), C("[%#.5o]", A_UINT, 8),
	C("[%.0x]", A_UINT, 0), C("[%.0u]", A_UINT, 0),
	C("[%08x]", A_UINT, 0xabc), C("[%-8X]", A_UINT, 0xabc),
	C("[%+u]", A_UINT, 7), C("[% x]", A_UINT, 7),
	C("%hu", A_UINT, 65537), C("%hhx", A_UINT, 0x1ff),
	C("[%20llu]", A_ULLONG, -1), C("[%-22llo]", A_ULLONG, -1),
};

static const struct fmt_case string_cases[] = {
	S("%s", "hello"), S("[%10s]", "hello"),
	S("[%-10s]", "hello"), S("[%.3s]", "hello"),
	S("[%10.3s]", "hello"), S("[%-10.3s]", "hello"),
	S("[%.0s]", "hello"), S("[%.10s]", "hi"),
	S("[%s]", ""), S("[%3s]", ""),
	S("[%s]", NULL), S("[%10s]", NULL),
	S("[%-10s]", NULL), S("[%.6s]", NULL),
	S("[%.3s]", NULL),
	C("[%c]", A_INT, 'x'), C("[%3c]", A_INT, 'x'), C("[%-3c]", A_INT, 'x'),
	C("plain text", A_NONE, 0), C("100%%", A_NONE, 0), C("[%5%]", A_NONE, 0),
	C("", A_NONE, 0),
};

static const struct fmt_case pointer_cases[] = {
	C("%p", A_PTR, 0x400000), C("%p", A_PTR, 0),
	C("%p", A_PTR, -1), C("%p", A_PTR, 0x00007ffffffff000LL),
	C("[%20p]", A_PTR, 0x1234), C("[%-20p]", A_PTR, 0x1234),
	C("[%10p]", A_PTR, 0), C("[%-10p]", A_PTR, 0),
};

static const struct fmt_case star_cases[] = {
	W("[%*d]", A_WIDTH_INT, 42, NULL, 6, 0),
	W("[%*d]", A_WIDTH_INT, 42, NULL, -6, 0),
	W("[%-*d]", A_WIDTH_INT, 42, NULL, 6, 0),
	W("[%0*d]", A_WIDTH_INT, -42, NULL, 6, 0),
	W("[%*d]", A_WIDTH_INT, 42, NULL, 0, 0),
	W("[%.*d]", A_WIDTH_INT, 42, NULL, 5, 0),
	W("[%.*d]", A_WIDTH_INT, 0, NULL, 0, 0),
	W("[%.*d]", A_WIDTH_INT, 42, NULL, -3, 0),
	W("[%*.*d]", A_WIDTH_PREC_INT, 42, NULL, 8, 4),
	W("[%*.*d]", A_WIDTH_PREC_INT, -42, NULL, -8, 4),
	W("[%0*.*d]", A_WIDTH_PREC_INT, 42, NULL, 8, -1),
	W("[%*s]", A_WIDTH_STR, 0, "ab", 5, 0),
	W("[%*s]", A_WIDTH_STR, 0, "ab", -5, 0),
	W("[%.*s]", A_WIDTH_STR, 0, "abcdef", 2, 0),
};

START_TEST(test_signed)   { RUN_TABLE(signed_cases); }   END_TEST
START_TEST(test_unsigned) { RUN_TABLE(unsigned_cases); } END_TEST
START_TEST(test_strings)  { RUN_TABLE(string_cases); }   END_TEST
START_TEST(test_pointers) { RUN_TABLE(pointer_cases); }  END_TEST
START_TEST(test_star)     { RUN_TABLE(star_cases); }     END_TEST

/* Several conversions in one format consume the va_list in order. */
START_TEST(test_mixed)
{
	char want[OUT_MAX], got[OUT_MAX];
	const char *f = "pid %d ppid %d: %s=%#lx (%5.2s|%-4c|%03u)%%";

	int wn = snprintf(want, OUT_MAX, f, 7, 1, "key", 0xfeedUL, "xyz", 'q', 9u);
	int gn = ours(got, f, 7, 1, "key", 0xfeedUL, "xyz", 'q', 9u);
	ck_assert_str_eq(got, want);
	ck_assert_int_eq(gn, wn);
}
END_TEST

/* The return value counts every character, however long the output. */
START_TEST(test_long_output)
{
	char got[OUT_MAX];

	ck_assert_int_eq(ours(got, "%1000d|%-1000s|", 1, "x"), 2002);
	ck_assert_int_eq(ours(got, "%s", "abc"), 3);
}
END_TEST

static Suite *printf_suite(void)
{
	Suite *s = suite_create("printf");
	struct { const char *name; const TTest *fn; } tcs[] = {
		{ "signed", test_signed }, { "unsigned", test_unsigned },
		{ "strings", test_strings }, { "pointers", test_pointers },
		{ "star", test_star }, { "mixed", test_mixed },
		{ "long_output", test_long_output },
	};

	for (size_t i = 0; i < sizeof(tcs) / sizeof(tcs[0]); i++) {
		TCase *tc = tcase_create(tcs[i].name);
		tcase_add_test(tc, tcs[i].fn);
		suite_add_tcase(s, tc);
	}
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(printf_suite());

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
