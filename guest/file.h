/*
 * file.h: open files and file descriptors.
 *
 * A descriptor (0..NOFILE-1) of a process names a struct file, which
 * dup and fork share (one offset, one set of status flags), as on Linux.
 * What a file is, its ops say:
 *   the console   fds 0-2 of every program the kernel starts: reads give
 *                 end of file, writes go to the VMM's stdout (fd 1's
 *                 console, and stdin's) or stderr (stream 2);
 *   an image file a boot-image file read and written through the page
 *                 cache (mm/pagecache.c); mmap-able; it never grows;
 *   a pipe end    pipe.c;
 *   a /proc file  procfs.c, generated when read.
 * One CPU, a non-preemptible kernel: no locking.
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>

#define NOFILE     32     /* descriptors per process */

/* open() flags and fcntl() values, Linux x86-64 */
#define O_ACCMODE  3
#define O_RDONLY   0
#define O_WRONLY   1
#define O_RDWR     2
#define O_NONBLOCK 04000
#define O_CLOEXEC  02000000
#define FD_CLOEXEC 1

struct file;
struct mm_file;
struct pipe;

struct file_ops {
	/* Move up to n bytes between the file at *off and user memory at
	 * ubuf, advancing *off: bytes moved, 0 at end of file, or -errno. */
	int64_t (*read)(struct file *f, char *ubuf, uint64_t n, uint64_t *off);
	int64_t (*write)(struct file *f, const char *ubuf, uint64_t n,
			 uint64_t *off);
	/* The size SEEK_END counts from; NULL: not seekable (ESPIPE). */
	int64_t (*size)(struct file *f);
	/* The last reference went. */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	int flags;              /* O_ACCMODE | O_NONBLOCK */
	int refs;               /* descriptors, across dup and fork */
	uint64_t off;           /* read/write position */
	struct mm_file *mf;     /* image files: the page-cache file */
	struct pipe *pipe;      /* pipe ends */
	int stream;             /* console: 1 (stdout) or 2 (stderr) */
	int proc_pid, proc_what;/* /proc files (procfs.c) */
};

/* A new file with one reference, or NULL when the table is full. */
struct file *file_alloc(const struct file_ops *ops, int flags);
void file_get(struct file *f);
void file_put(struct file *f);

/* Open path: "/proc/..." (procfs.c), else a boot-image file by its
 * basename.  0 and *out, or -errno. */
int file_open(const char *path, int flags, struct file **out);
/* The console as stream (0 stdin, 1 stdout, 2 stderr). */
int file_open_console(int stream, struct file **out);
/* The page-cache file behind f, or NULL (mmap of anything else: ENODEV). */
struct mm_file *file_mm_file(struct file *f);
/* A new in-memory file (memfd_create), read-write: 0 and *out, -ENFILE. */
int file_open_memfd(const char *name, struct file **out);
/* The in-memory file behind f, or NULL (ftruncate, fallocate need one). */
struct mm_file *file_memfd(struct file *f);

/* The current process's file at fd, or NULL. */
struct file *file_of_fd(int fd);
/* Install f (its reference passes to the table) at the lowest free
 * descriptor >= min of the current process: the fd, or -EMFILE. */
int fd_install(struct file *f, int min, int cloexec);

#endif /* FILE_H */
