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
#include "sys_res.h"
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
	uint64_t lim = p->rlim[RLIMIT_NOFILE][0];
	int max = lim < NOFILE ? (int)lim : NOFILE;

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

/* ---- page-cache files: boot-image and in-memory (memfd_create) ---- */

/*
 * A page at a time between the file's cached pages and user memory.  An
 * in-memory file grows to take a write past its end, allocates the pages
 * a write touches, and reads its holes as zeros without filling them.
 */
static int64_t cache_rw(struct file *f, char *ubuf, uint64_t n, uint64_t *off,
			int write)
{
	struct mm_file *mf = f->mf;
	uint64_t done = 0;

	if (mf->shmem && write && n && *off + n > mm_file_size(mf)) {
		int r = shmem_truncate(mf, *off + n);

		if (r)
			return r == -MM_EFBIG ? -EFBIG : -ENOMEM;
	}
	if (*off >= mm_file_size(mf))
		return 0;
	if (n > mm_file_size(mf) - *off)
		n = mm_file_size(mf) - *off;
	while (done < n) {
		uint64_t pos = *off + done, k = PAGE_SIZE - pos % PAGE_SIZE;
		uint64_t pa = mf->shmem ? shmem_page(mf, pos / PAGE_SIZE, write)
					: mm_pagecache_get(mf, pos / PAGE_SIZE);
		char *page = (char *)P2V(pa) + pos % PAGE_SIZE;
		int bad;

		if (k > n - done)
			k = n - done;
		if (pa == MM_PAGECACHE_NOMEM)
			return done ? (int64_t)done : -ENOMEM;
		if (!pa)
			bad = clear_user(ubuf + done, k);       /* a hole */
		else
			bad = write ? copy_from_user(page, ubuf + done, k)
				    : copy_to_user(ubuf + done, page, k);
		if (pa && !mf->shmem)
			mm_pagecache_put(pa);
		if (bad)
			break;
		done += k;
	}
	*off += done;
	return done || !n ? (int64_t)done : -EFAULT;
}

static int64_t cache_read(struct file *f, char *ubuf, uint64_t n,
			  uint64_t *off)
{
	return cache_rw(f, ubuf, n, off, 0);
}

static int64_t cache_write(struct file *f, const char *ubuf, uint64_t n,
			   uint64_t *off)
{
	return cache_rw(f, (char *)ubuf, n, off, 1);
}

static int64_t cache_size(struct file *f)
{
	return (int64_t)mm_file_size(f->mf);
}

static void cache_release(struct file *f)
{
	mm_file_put(f->mf);
	f->mf = NULL;
}

static const struct file_ops cache_ops = {
	.read = cache_read,
	.write = cache_write,
	.size = cache_size,
	.release = cache_release,
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
	f = file_alloc(&cache_ops, O_RDWR);
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
	return f->ops == &cache_ops && f->mf->shmem ? f->mf : NULL;
}

struct mm_file *file_mm_file(struct file *f)
{
	return f->ops == &cache_ops ? f->mf : NULL;
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
	f = file_alloc(&cache_ops, flags);
	if (!f)
		return -ENFILE;
	mm_file_get(mf);
	f->mf = mf;
	*out = f;
	return 0;
}
