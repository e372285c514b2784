/*
 * mm_test_main.h: the shared main() of the mm unit tests: one TCase per
 * case, each with the file's fixture, and the exit status of the run.
 */
#ifndef MM_TEST_MAIN_H
#define MM_TEST_MAIN_H

#include <check.h>
#include <stddef.h>

struct mm_test_case {
	const char *name;
	const TTest *t;
	int sig;                /* signal the test must raise, or 0 */
};

/* Run suite name; returns EXIT_SUCCESS or EXIT_FAILURE. */
int mm_test_run(const char *name, const struct mm_test_case *cases, size_t n,
		SFun setup, SFun teardown);

#endif /* MM_TEST_MAIN_H */
