/*
 * unit_main.h: the shared main() of the hosted unit tests: one TCase per
 * case, each with the file's fixture, and the exit status of the run.
 */
#ifndef UNIT_MAIN_H
#define UNIT_MAIN_H

#include <check.h>
#include <stddef.h>

struct unit_case {
	const char *name;
	const TTest *t;
	int sig;                /* signal the test must raise, or 0 */
};

/* Run suite name; returns EXIT_SUCCESS or EXIT_FAILURE. */
int unit_run(const char *name, const struct unit_case *cases, size_t n,
	     SFun setup, SFun teardown);

#endif /* UNIT_MAIN_H */
