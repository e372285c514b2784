/*
 * tmpfiles.c: temporary directories and files for the integration tests
 * (bad ELFs made from random bytes or truncated copies of real ones,
 * copies of build products).  See tmpfiles.h.
 */
#include "tmpfiles.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Check ends a failed test's process with _exit(), so a test cannot clean
 * up after itself.  itest_main (the parent of every test process) makes
 * one base directory, tests make theirs inside it, and the parent removes
 * the whole base after the run.
 */
static char *tmp_base;

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	/* Only ever a directory tmp_dir() made: guard the prefix anyway. */
	if (strncmp(dir, "/tmp/vmm-itest.", 15) == 0 && !strstr(dir, "..") &&
	    nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS) != 0)
		fprintf(stderr, "harness: could not remove %s\n", dir);
}

static char *make_dir(const char *parent)
{
	char *tmpl;

	if (asprintf(&tmpl, "%s/vmm-itest.XXXXXX", parent) < 0)
		return NULL;
	if (!mkdtemp(tmpl)) {
		free(tmpl);
		return NULL;
	}
	/* World-searchable: the unprivileged test runs files from here. */
	if (chmod(tmpl, 0755)) {
		rmdir(tmpl);
		free(tmpl);
		return NULL;
	}
	return tmpl;
}

void tmp_base_create(void)
{
	tmp_base = make_dir("/tmp");
}

void tmp_base_remove(void)
{
	char *base = tmp_base;

	tmp_base = NULL;
	tmp_dir_remove(base);
}

char *tmp_dir(void)
{
	return make_dir(tmp_base ? tmp_base : "/tmp");
}

void tmp_dir_remove(char *dir)
{
	if (!dir)
		return;
	remove_tree(dir);
	free(dir);
}

static char *write_file(const char *dir, const char *name, const void *data,
			size_t n, mode_t mode)
{
	char *path;
	int fd;

	if (asprintf(&path, "%s/%s", dir, name) < 0)
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		goto fail;
	if (write(fd, data, n) != (ssize_t)n) {
		close(fd);
		goto fail;
	}
	if (fchmod(fd, mode) || close(fd))
		goto fail;
	return path;
fail:
	free(path);
	return NULL;
}

static void *read_file(const char *src, size_t *n)
{
	struct stat st;
	void *p;
	int fd = open(src, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(p = malloc(st.st_size ? st.st_size : 1))) {
		close(fd);
		return NULL;
	}
	if (read(fd, p, st.st_size) != st.st_size) {
		free(p);
		close(fd);
		return NULL;
	}
	close(fd);
	*n = st.st_size;
	return p;
}

char *tmp_write_random(const char *dir, const char *name, size_t size,
		       unsigned seed)
{
	unsigned char *p = malloc(size ? size : 1);
	char *path;
	size_t i;

	if (!p)
		return NULL;
	srand(seed);
	for (i = 0; i < size; i++)
		p[i] = rand() & 0xff;
	/* Random, but never by chance an ELF magic. */
	if (size > 0 && p[0] == 0x7f)
		p[0] = 0x7e;
	path = write_file(dir, name, p, size, 0644);
	free(p);
	return path;
}

char *tmp_write_truncated(const char *dir, const char *name,
			  const char *src, size_t len)
{
	size_t n;
	void *p = read_file(src, &n);
	char *path;

	if (!p)
		return NULL;
	if (len > n)
		len = n;
	path = write_file(dir, name, p, len, 0644);
	free(p);
	return path;
}

char *tmp_copy(const char *dir, const char *name, const char *src,
	       mode_t mode)
{
	size_t n;
	void *p = read_file(src, &n);
	char *path;

	if (!p)
		return NULL;
	path = write_file(dir, name, p, n, mode);
	free(p);
	return path;
}
