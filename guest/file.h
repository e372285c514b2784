/*
 * file.h: open files.  Descriptors 0-2 are the console (not in the
 * table); 3 and up refer to boot-image files, read and written through the
 * page cache (mm/pagecache.c).  Files never grow: a write past the end
 * stops at the end.
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>

#define NOFILE     16     /* descriptors per process */
#define FD_FIRST   3      /* 0-2: the console */

struct mm_file;

struct file {
	struct mm_file *mf;
	uint64_t off;           /* read/write position */
	int flags;              /* O_ACCMODE bits of open() */
	int refs;               /* descriptors (across forks) */
};

/* Open boot-image file name: 0 and *out, -ENOENT or -ENFILE. */
int file_open(const char *name, int flags, struct file **out);
void file_get(struct file *f);
/* The current process's open file fd, or NULL (console and bad fds). */
struct file *file_of_fd(int fd);
/* write() to an open file (sys_io.c hands fds >= FD_FIRST here). */
int64_t sys_file_write(int fd, const char *ubuf, uint64_t n);
void file_put(struct file *f);

#endif /* FILE_H */
