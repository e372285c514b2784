/*
 * test_loader.c: Check unit tests of loader/ (kernel loading, program
 * validation, boot-image packing, robustness).  No KVM needed: ELF files
 * are synthesized in a temporary directory and "guest RAM" is host memory.
 *
 * The cases live in loader_test_kernel.c, loader_test_program.c (programs
 * and packing) and loader_test_fuzz.c; this file holds main() and the
 * shared assertions.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/loader_elfgen.h"
#include "tests/unit/loader_tests.h"

void tl_check_line(const char *what, const char *err, size_t errlen)
{
	size_t len = strnlen(err, errlen);

	ck_assert_msg(len > 0, "%s: err is empty, expected a message", what);
	ck_assert_msg(len < errlen, "%s: err is not NUL terminated within %zu "
		      "bytes", what, errlen);
	ck_assert_msg(strchr(err, '\n') == NULL, "%s: err '%s' has a newline, "
		      "expected one line", what, err);
}

void tl_check_err(const char *what, const char *err, const char *path,
		  const char *const *want)
{
	tl_check_line(what, err, 512);
	if (path)
		ck_assert_msg(strstr(err, path) != NULL, "%s: err '%s' does not "
			      "name the file %s", what, err, path);
	for (; want && *want; want++)
		ck_assert_msg(strstr(err, *want) != NULL, "%s: err '%s' lacks "
			      "'%s'", what, err, *want);
}

void tl_check_untouched(const char *what, const uint8_t *buf, size_t len,
			uint64_t base)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != TL_FILL)
			ck_abort_msg("%s: byte at 0x%llx is 0x%02x, expected "
				     "0x%02x (written on failure)", what,
				     (unsigned long long)(base + i), buf[i],
				     TL_FILL);
}

int main(void)
{
	Suite *s = suite_create("loader");
	SRunner *sr;
	int failed;

	tel_dir_create();
	loader_add_kernel_tcases(s);
	loader_add_program_tcases(s);
	loader_add_pack_tcases(s);
	loader_add_fuzz_tcases(s);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tel_dir_remove();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
