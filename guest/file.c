/*
 * file.c: the open-file table, descriptors, the console and image files
 * (file.h).
 */
#include <stddef.h>
#include "console.h"
#include "file.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/errno.h"
#include "mm/pagecache.h"
#include "mm/shmem.h"
#include "procfs.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

#define NFILE      128
#define CHUNK      512

static struct file file_table[NFILE];

struct file *file_alloc(const struct file_ops *ops, int flags)
{
	for (struct file *f = file_table; f < file_table + NFILE; f++)
		if (!f->refs) {
			*f = (struct file){ .ops = ops, .flags = flags,
					    .refs = 1 };
			return f;
		}
	return NULL;
}

void file_get(struct file *f)
{
	f->refs++;
}

void file_put(struct file *f)
{
	if (--f->refs == 0 && f->ops->release)
		f->ops->release(f);
}

struct file *file_of_fd(int fd)
{
	struct proc *p = proc_current();

	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return p->files[fd];
}

int fd_install(struct file *f, int min, int cloexec)
{
	struct proc *p = proc_current();
	int max = p->rlim[7][0] < NOFILE ? (int)p->rlim[7][0] : NOFILE;

	for (int fd = min; fd < max; fd++)     /* RLIMIT_NOFILE */
		if (!p->files[fd]) {
			p->files[fd] = f;
			p->fd_cloexec[fd] = cloexec != 0;
			return fd;
		}
	return -EMFILE;
}

/* ---- the console ---- */

static int64_t tty_read(struct file *f, char *ubuf, uint64_t n,
			    uint64_t *off)
{
	(void)f, (void)ubuf, (void)n, (void)off;
	return 0;               /* no input: end of file */
}

static int64_t tty_write(struct file *f, const char *ubuf, uint64_t n,
			     uint64_t *off)
{
	char kbuf[CHUNK];
	uint64_t done = 0;

	(void)off;
	while (done < n) {
		uint64_t k = n - done < CHUNK ? n - done : CHUNK;

		if (copy_from_user(kbuf, ubuf + done, k))
			return done ? (int64_t)done : -EFAULT;
		console_write_user(f->stream, kbuf, k);
		done += k;
	}
	return (int64_t)done;
}

static const struct file_ops console_ops = {
	.read = tty_read,
	.write = tty_write,
};

int file_open_console(int stream, struct file **out)
{
	struct file *f = file_alloc(&console_ops, stream ? O_WRONLY : O_RDONLY);

	if (!f)
		return -ENFILE;
	/* stdin is a terminal's, read-write on Linux: writes go to stdout */
	f->stream = stream == 2 ? 2 : 1;
	if (!stream)
		f->flags = O_RDWR;
	*out = f;
	return 0;
}

/* ---- boot-image files ---- */

/* A page at a time between the file's cached pages and user memory. */
static int64_t image_rw(struct file *f, char *ubuf, uint64_t n, uint64_t *off,
			int write)
{
	uint64_t size = mm_file_size(f->mf), done = 0;

	if (*off >= size)
		return 0;
	if (n > size - *off)
		n = size - *off;
	while (done < n) {
		uint64_t pos = *off + done, k = PAGE_SIZE - pos % PAGE_SIZE;
		uint64_t pa = mm_pagecache_get(f->mf, pos / PAGE_SIZE);
		char *page = (char *)P2V(pa) + pos % PAGE_SIZE;
		int bad;

		if (k > n - done)
			k = n - done;
		bad = write ? copy_from_user(page, ubuf + done, k)
			    : copy_to_user(ubuf + done, page, k);
		mm_pagecache_put(pa);
		if (bad)
			break;
		done += k;
	}
	*off += done;
	return done || !n ? (int64_t)done : -EFAULT;
}

static int64_t image_read(struct file *f, char *ubuf, uint64_t n,
			  uint64_t *off)
{
	return image_rw(f, ubuf, n, off, 0);
}

static int64_t image_write(struct file *f, const char *ubuf, uint64_t n,
			   uint64_t *off)
{
	return image_rw(f, (char *)ubuf, n, off, 1);
}

static int64_t image_size(struct file *f)
{
	return (int64_t)mm_file_size(f->mf);
}

static void image_release(struct file *f)
{
	mm_file_put(f->mf);
	f->mf = NULL;
}

static const struct file_ops image_ops = {
	.read = image_read,
	.write = image_write,
	.size = image_size,
	.release = image_release,
};

/* ---- in-memory files (memfd_create) ---- */

/* Reads see holes as zeros without filling them; writes grow the file
 * and allocate what they touch. */
static int64_t memfd_rw(struct file *f, char *ubuf, uint64_t n, uint64_t *off,
			int write)
{
	uint64_t done = 0;

	if (write && n && *off + n > mm_file_size(f->mf)) {
		int r = shmem_truncate(f->mf, *off + n);

		if (r == -MM_EFBIG)
			return -EFBIG;
		if (r)
			return -ENOMEM;
	}
	if (*off >= mm_file_size(f->mf))
		return 0;
	if (n > mm_file_size(f->mf) - *off)
		n = mm_file_size(f->mf) - *off;
	while (done < n) {
		uint64_t pos = *off + done, k = PAGE_SIZE - pos % PAGE_SIZE;
		uint64_t pa = shmem_page(f->mf, pos / PAGE_SIZE, write);
		int bad;

		if (k > n - done)
			k = n - done;
		if (pa == MM_PAGECACHE_NOMEM)
			return done ? (int64_t)done : -ENOMEM;
		if (!pa)
			bad = clear_user(ubuf + done, k);
		else if (write)
			bad = copy_from_user((char *)P2V(pa) + pos % PAGE_SIZE,
					     ubuf + done, k);
		else
			bad = copy_to_user(ubuf + done,
					   (char *)P2V(pa) + pos % PAGE_SIZE, k);
		if (bad)
			break;
		done += k;
	}
	*off += done;
	return done || !n ? (int64_t)done : -EFAULT;
}

static int64_t memfd_read(struct file *f, char *ubuf, uint64_t n,
			  uint64_t *off)
{
	return memfd_rw(f, ubuf, n, off, 0);
}

static int64_t memfd_write(struct file *f, const char *ubuf, uint64_t n,
			   uint64_t *off)
{
	return memfd_rw(f, (char *)ubuf, n, off, 1);
}

static const struct file_ops memfd_ops = {
	.read = memfd_read,
	.write = memfd_write,
	.size = image_size,
	.release = image_release,
};

int file_open_memfd(const char *name, struct file **out)
{
	char full[MM_FILE_NAME_MAX];
	struct mm_file *mf;
	struct file *f;

	/* maps shows it as Linux does: "/memfd:NAME (deleted)" */
	ksnprintf(full, sizeof(full), "/memfd:%s (deleted)", name);
	mf = shmem_create(full);
	if (!mf)
		return -ENFILE;
	f = file_alloc(&memfd_ops, O_RDWR);
	if (!f) {
		mm_file_put(mf);
		return -ENFILE;
	}
	f->mf = mf;
	*out = f;
	return 0;
}

struct mm_file *file_memfd(struct file *f)
{
	return f->ops == &memfd_ops ? f->mf : NULL;
}

struct mm_file *file_mm_file(struct file *f)
{
	return f->ops == &image_ops || f->ops == &memfd_ops ? f->mf : NULL;
}

int file_open(const char *path, int flags, struct file **out)
{
	const char *name = path;
	struct mm_file *mf;
	struct file *f;

	if (!strncmp(path, "/proc/", 6))
		return procfs_open(path + 6, flags, out);
	for (const char *s = path; *s; s++)
		if (*s == '/')
			name = s + 1;
	mf = mm_file_lookup(name);
	if (!mf)
		return -ENOENT;
	f = file_alloc(&image_ops, flags);
	if (!f)
		return -ENFILE;
	mm_file_get(mf);
	f->mf = mf;
	*out = f;
	return 0;
}
