/* assert.h: assert(e) prints "file:line: func: assertion `e' failed" and aborts. */
#ifndef _ASSERT_H
#define _ASSERT_H

__attribute__((noreturn))
void __assert_fail(const char *expr, const char *file, int line,
		   const char *func);

#endif /* _ASSERT_H: the macro below is redefined on every include */

#undef assert
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) \
	((e) ? (void)0 : __assert_fail(#e, __FILE__, __LINE__, __func__))
#endif
