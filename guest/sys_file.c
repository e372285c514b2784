/*
 * sys_file.c: the descriptor system calls: open, openat, close, read,
 * write, pread64, pwrite64, lseek, dup, dup2, dup3, fcntl, fstat, and
 * the in-memory files' memfd_create, ftruncate, fallocate.  What a read
 * or write does is the file's (file.h).
 */
#include "file.h"
#include "kstring.h"
#include "mm/errno.h"
#include "mm/shmem.h"
#include "proc.h"
#include "syscall.h"
#include "uaccess.h"

#define SEEK_SET   0
#define SEEK_CUR   1
#define SEEK_END   2
#define AT_FDCWD   (-100)
#define PATH_MAX_K 256

#define F_DUPFD    0
#define F_GETFD    1
#define F_SETFD    2
#define F_GETFL    3
#define F_SETFL    4
#define F_DUPFD_CLOEXEC 1030

static int64_t do_open(const char *upath, int flags)
{
	char path[PATH_MAX_K];
	struct file *f;
	int fd, err;

	for (size_t i = 0;; i++) {
		if (i == sizeof(path))
			return -ENAMETOOLONG;
		if (copy_from_user(&path[i], upath + i, 1))
			return -EFAULT;
		if (!path[i])
			break;
	}
	if ((flags & O_ACCMODE) == 3)
		return -EINVAL;
	if (!path[0])
		return -ENOENT;
	err = file_open(path, flags & (O_ACCMODE | O_NONBLOCK), &f);
	if (err)
		return err;
	fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

int64_t sys_open(struct trapframe *tf)
{
	return do_open((const char *)tf->rdi, (int)tf->rsi);
}

/* openat: only AT_FDCWD or an absolute path (no directories here). */
int64_t sys_openat(struct trapframe *tf)
{
	char c;

	if ((int)tf->rdi != AT_FDCWD &&
	    (copy_from_user(&c, (const char *)tf->rsi, 1) || c != '/'))
		return file_of_fd((int)tf->rdi) ? -ENOTDIR : -EBADF;
	return do_open((const char *)tf->rsi, (int)tf->rdx);
}

int64_t sys_close(struct trapframe *tf)
{
	int fd = (int)tf->rdi;
	struct file *f = file_of_fd(fd);

	if (!f)
		return -EBADF;
	proc_current()->files[fd] = NULL;
	file_put(f);
	return 0;
}

static int64_t rw(int fd, char *ubuf, uint64_t n, int64_t pos, int write)
{
	struct file *f = file_of_fd(fd);
	uint64_t off;
	int64_t r;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
		return -EBADF;
	if ((int64_t)n < 0)
		return -EINVAL;
	if (!uaccess_range_ok(ubuf, n))
		return -EFAULT;
	if (pos >= 0 && !f->ops->size)
		return -ESPIPE;
	if (write ? !f->ops->write : !f->ops->read)
		return -EINVAL;         /* as Linux: no such operation */
	off = pos >= 0 ? (uint64_t)pos : f->off;
	r = write ? f->ops->write(f, ubuf, n, &off) : f->ops->read(f, ubuf, n, &off);
	if (pos < 0)
		f->off = off;
	return r;
}

int64_t sys_read(struct trapframe *tf)
{
	return rw((int)tf->rdi, (char *)tf->rsi, tf->rdx, -1, 0);
}

int64_t sys_write(struct trapframe *tf)
{
	return rw((int)tf->rdi, (char *)tf->rsi, tf->rdx, -1, 1);
}

int64_t sys_pread64(struct trapframe *tf)
{
	if ((int64_t)tf->r10 < 0)
		return file_of_fd((int)tf->rdi) ? -EINVAL : -EBADF;
	return rw((int)tf->rdi, (char *)tf->rsi, tf->rdx, (int64_t)tf->r10, 0);
}

int64_t sys_pwrite64(struct trapframe *tf)
{
	if ((int64_t)tf->r10 < 0)
		return file_of_fd((int)tf->rdi) ? -EINVAL : -EBADF;
	return rw((int)tf->rdi, (char *)tf->rsi, tf->rdx, (int64_t)tf->r10, 1);
}

int64_t sys_lseek(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);
	int64_t off = (int64_t)tf->rsi, base;

	if (!f)
		return -EBADF;
	if (!f->ops->size)
		return -ESPIPE;
	switch ((int)tf->rdx) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = (int64_t)f->off; break;
	case SEEK_END: base = f->ops->size(f); break;
	default: return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	f->off = (uint64_t)(base + off);
	return (int64_t)f->off;
}

/* newfd < 0: the lowest free >= min; else exactly newfd (dup2/dup3). */
static int64_t do_dup(int oldfd, int newfd, int min, int cloexec)
{
	struct proc *p = proc_current();
	struct file *f = file_of_fd(oldfd);

	if (!f)
		return -EBADF;
	if (newfd < 0) {
		int fd;

		if (min < 0 || min >= NOFILE)
			return -EINVAL;
		file_get(f);
		fd = fd_install(f, min, cloexec);
		if (fd < 0)
			file_put(f);
		return fd;
	}
	if (newfd >= NOFILE)
		return -EBADF;
	file_get(f);
	if (p->files[newfd])
		file_put(p->files[newfd]);
	p->files[newfd] = f;
	p->fd_cloexec[newfd] = cloexec != 0;
	return newfd;
}

int64_t sys_dup(struct trapframe *tf)
{
	return do_dup((int)tf->rdi, -1, 0, 0);
}

int64_t sys_dup2(struct trapframe *tf)
{
	int oldfd = (int)tf->rdi, newfd = (int)tf->rsi;

	if (oldfd == newfd)
		return file_of_fd(oldfd) ? newfd : -EBADF;
	if (newfd < 0)
		return -EBADF;
	return do_dup(oldfd, newfd, 0, 0);
}

int64_t sys_dup3(struct trapframe *tf)
{
	int oldfd = (int)tf->rdi, newfd = (int)tf->rsi, flags = (int)tf->rdx;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0)
		return -EBADF;
	return do_dup(oldfd, newfd, 0, flags & O_CLOEXEC);
}

int64_t sys_fcntl(struct trapframe *tf)
{
	struct proc *p = proc_current();
	int fd = (int)tf->rdi, cmd = (int)tf->rsi;
	uint64_t arg = tf->rdx;
	struct file *f = file_of_fd(fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return do_dup(fd, -1, (int)arg, cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return p->fd_cloexec[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->fd_cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~O_NONBLOCK) | ((int)arg & O_NONBLOCK);
		return 0;
	}
	return -EINVAL;
}

/* ---- in-memory files ---- */

#define MFD_CLOEXEC       1U
#define MFD_ALLOW_SEALING 2U
#define MFD_NAME_MAX      249           /* Linux: 255 - "memfd:" */
#define FALLOC_FL_KEEP_SIZE  1
#define FALLOC_FL_PUNCH_HOLE 2

/* memfd_create(name, flags): sealing is accepted but no seal can be set
 * (fcntl F_ADD_SEALS is EINVAL); MFD_HUGETLB and the rest are EINVAL. */
int64_t sys_memfd_create(struct trapframe *tf)
{
	char name[MFD_NAME_MAX + 1];
	unsigned flags = (unsigned)tf->rsi;
	struct file *f;
	int fd, err;

	if (flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING))
		return -EINVAL;
	for (size_t i = 0;; i++) {
		if (i == sizeof(name))
			return -EINVAL;
		if (copy_from_user(&name[i], (const char *)tf->rdi + i, 1))
			return -EFAULT;
		if (!name[i])
			break;
	}
	err = file_open_memfd(name, &f);
	if (err)
		return err;
	fd = fd_install(f, 0, flags & MFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

static int64_t mm_err(int r)
{
	return r == -MM_EFBIG ? -EFBIG : r ? -ENOMEM : 0;
}

/* ftruncate: in-memory files only (boot-image files never change size:
 * EINVAL, as for any file ftruncate cannot resize). */
int64_t sys_ftruncate(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);
	int64_t len = (int64_t)tf->rsi;

	if (!f)
		return -EBADF;
	if (len < 0 || !file_memfd(f))
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;         /* Linux: EINVAL, not EBADF */
	return mm_err(shmem_truncate(file_memfd(f), (uint64_t)len));
}

/* fallocate: mode 0 and FALLOC_FL_KEEP_SIZE allocate; PUNCH_HOLE (with
 * KEEP_SIZE, as Linux requires) frees; other modes EOPNOTSUPP. */
int64_t sys_fallocate(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);
	int mode = (int)tf->rsi;
	int64_t off = (int64_t)tf->rdx, len = (int64_t)tf->r10;

	if (!f)
		return -EBADF;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!file_memfd(f))
		return file_mm_file(f) ? -EOPNOTSUPP : -ENODEV;
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
		return mm_err(shmem_punch(file_memfd(f), (uint64_t)off,
					  (uint64_t)len));
	}
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return -EOPNOTSUPP;     /* Linux: punching needs KEEP_SIZE */
	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;
	return mm_err(shmem_allocate(file_memfd(f), (uint64_t)off,
				     (uint64_t)len, mode & FALLOC_FL_KEEP_SIZE));
}

/* fstat: Linux's struct stat with the fields these files have: the
 * type (regular file, pipe, character device for the console), the
 * size, blocks of 512 bytes, the block size. */
int64_t sys_fstat(struct trapframe *tf)
{
	struct file *f = file_of_fd((int)tf->rdi);
	struct {
		uint64_t dev, ino, nlink;
		uint32_t mode, uid, gid, pad0;
		uint64_t rdev;
		int64_t size, blksize, blocks;
		uint64_t times[6];
		int64_t unused[3];
	} st;

	_Static_assert(sizeof(st) == 144, "struct stat layout");
	if (!f)
		return -EBADF;
	memset(&st, 0, sizeof(st));
	st.nlink = 1;
	st.blksize = 4096;
	if (file_mm_file(f)) {
		st.mode = 0100000 | (file_memfd(f) ? 0777 : 0644);  /* S_IFREG */
		st.size = f->ops->size(f);
		st.blocks = (st.size + 511) / 512;
		st.nlink = file_memfd(f) ? 0 : 1;
	} else if (f->pipe) {
		st.mode = 0010000 | 0600;       /* S_IFIFO */
	} else if (f->ops->size) {
		st.mode = 0100000 | 0444;       /* a /proc file */
	} else {
		st.mode = 0020000 | 0620;       /* S_IFCHR: the console */
	}
	return copy_to_user((void *)tf->rsi, &st, sizeof(st)) ? -EFAULT : 0;
}
