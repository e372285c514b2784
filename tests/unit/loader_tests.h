/*
 * loader_tests.h: the loader unit-test groups (one file each) and the
 * assertions they share.  main() lives in test_loader.c.
 */
#ifndef LOADER_TESTS_H
#define LOADER_TESTS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#define TL_FILL 0xAA  /* what "RAM" and image buffers hold before a call */

void loader_add_kernel_tcases(Suite *s);
void loader_add_program_tcases(Suite *s);
void loader_add_pack_tcases(Suite *s);
void loader_add_fuzz_tcases(Suite *s);

/*
 * Assert err is one non-empty line naming path (unless path is NULL) and
 * containing every string of the NULL-terminated want list.
 */
void tl_check_err(const char *what, const char *err, const char *path,
		  const char *const *want);

/* Assert err is a non-empty single line shorter than errlen. */
void tl_check_line(const char *what, const char *err, size_t errlen);

/* Assert buf[0, len) all hold TL_FILL; base is the address printed. */
void tl_check_untouched(const char *what, const uint8_t *buf, size_t len,
			uint64_t base);

#endif /* LOADER_TESTS_H */
