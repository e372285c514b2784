/*
 * tmpfiles.h: temporary files for the integration tests.
 *
 * tmp_dir() makes a fresh world-readable directory (the unprivileged test
 * runs files from it).  Check ends a failed test's process with _exit(),
 * so a test cannot clean up after itself: the runner (itest_main) makes a
 * base directory with tmp_base_create() before the tests fork, tests make
 * theirs inside it, and tmp_base_remove() deletes everything afterwards.
 */
#ifndef TMPFILES_H
#define TMPFILES_H

#include <stddef.h>
#include <sys/types.h>

void  tmp_base_create(void);
void  tmp_base_remove(void);

/* A new directory, or NULL with errno set; free with tmp_dir_remove. */
char *tmp_dir(void);
/* Remove dir and everything in it, then free the string. */
void  tmp_dir_remove(char *dir);

/*
 * The writers create dir/name and return its malloc'ed path, or NULL with
 * errno set.  tmp_write_random: size bytes from a seeded generator, never
 * starting with the ELF magic.  tmp_write_truncated: the first len bytes
 * of src.  tmp_copy: all of src, with mode.
 */
char *tmp_write_random(const char *dir, const char *name, size_t size,
		       unsigned seed);
char *tmp_write_truncated(const char *dir, const char *name,
			  const char *src, size_t len);
char *tmp_copy(const char *dir, const char *name, const char *src,
	       mode_t mode);

#endif /* TMPFILES_H */
