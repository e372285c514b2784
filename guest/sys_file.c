/*
 * sys_file.c: open, close, read, write and lseek of boot-image files,
 * through the page cache.  Console descriptors (0-2) are handled in
 * sys_io.c; these take over for descriptors of open files.
 */
#include "file.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "mm/pagecache.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

#define O_ACCMODE 3
#define O_RDONLY  0
#define O_WRONLY  1
#define O_RDWR    2
#define SEEK_SET  0
#define SEEK_CUR  1
#define SEEK_END  2

struct file *file_of_fd(int fd)
{
	struct proc *p = proc_current();

	if (fd < FD_FIRST || fd >= NOFILE)
		return NULL;
	return p->files[fd];
}

int64_t sys_open(struct trapframe *tf)
{
	struct proc *p = proc_current();
	char path[64];
	const char *name;
	struct file *f;
	int fd, err, flags = (int)tf->rsi;

	for (size_t i = 0;; i++) {
		if (i == sizeof(path))
			return -ENAMETOOLONG;
		if (copy_from_user(&path[i], (const char *)tf->rdi + i, 1))
			return -EFAULT;
		if (!path[i])
			break;
	}
	if ((flags & O_ACCMODE) == 3)
		return -EINVAL;
	name = path;
	for (const char *s = path; *s; s++)
		if (*s == '/')
			name = s + 1;
	for (fd = FD_FIRST; fd < NOFILE && p->files[fd]; fd++)
		;
	if (fd == NOFILE)
		return -EMFILE;
	err = file_open(name, flags & O_ACCMODE, &f);
	if (err)
		return err;
	p->files[fd] = f;
	return fd;
}

int64_t sys_close(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);

	if ((int)tf->rdi >= 0 && (int)tf->rdi < FD_FIRST)
		return 0;             /* the console stays */
	if (!f)
		return -EBADF;
	proc_current()->files[tf->rdi] = NULL;
	file_put(f);
	return 0;
}

/*
 * Move up to n bytes between the file's cached pages and user memory, a
 * page at a time.  Returns bytes moved or -EFAULT if none could be.
 */
static int64_t file_rw(struct file *f, char *ubuf, uint64_t n, int write)
{
	uint64_t size = mm_file_size(f->mf), done = 0;

	if (f->off >= size)
		return 0;
	if (n > size - f->off)
		n = size - f->off;
	while (done < n) {
		uint64_t pos = f->off + done, k = PAGE_SIZE - pos % PAGE_SIZE;
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
	f->off += done;
	return done || !n ? (int64_t)done : -EFAULT;
}

int64_t sys_read(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);

	if ((int)tf->rdi >= 0 && (int)tf->rdi < FD_FIRST)
		return 0;             /* the console has no input: EOF */
	if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!uaccess_range_ok((void *)tf->rsi, tf->rdx))
		return -EFAULT;
	return file_rw(f, (char *)tf->rsi, tf->rdx, 0);
}

int64_t sys_file_write(int fd, const char *ubuf, uint64_t n)
{
	struct file *f = file_of_fd(fd);

	if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!uaccess_range_ok(ubuf, n))
		return -EFAULT;
	return file_rw(f, (char *)ubuf, n, 1);
}

int64_t sys_lseek(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);
	int64_t off = (int64_t)tf->rsi, base;

	if ((int)tf->rdi >= 0 && (int)tf->rdi < FD_FIRST)
		return -ESPIPE;
	if (!f)
		return -EBADF;
	switch ((int)tf->rdx) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->off; break;
	case SEEK_END: base = (int64_t)mm_file_size(f->mf); break;
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->off = (uint64_t)(base + off);
	return (int64_t)f->off;
}
