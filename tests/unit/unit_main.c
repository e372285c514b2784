/*
 * unit_main.c: see unit_main.h.
 */
#include <stdlib.h>
#include "unit_main.h"

int unit_run(const char *name, const struct unit_case *cases, size_t n,
	     SFun setup, SFun teardown)
{
	Suite *s = suite_create(name);
	SRunner *sr;
	int failed;

	for (size_t i = 0; i < n; i++) {
		TCase *tc = tcase_create(cases[i].name);

		tcase_add_checked_fixture(tc, setup, teardown);
		if (cases[i].sig)
			tcase_add_test_raise_signal(tc, cases[i].t, cases[i].sig);
		else
			tcase_add_test(tc, cases[i].t);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
