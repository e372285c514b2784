/*
 * pipe.c: pipes (pipe.h).  The buffer is one kernel page used as a ring;
 * the struct pipe lives in a small static table.
 */
#include <stddef.h>
#include "file.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "pipe.h"
#include "proc.h"
#include "sched.h"
#include "sig.h"
#include "signo.h"
#include "syscall.h"
#include "uaccess.h"

#define NPIPE     32
#define PIPE_SIZE PAGE_SIZE

struct pipe {
	char *buf;              /* PIPE_SIZE bytes, or NULL: slot free */
	uint64_t head;          /* bytes ever read */
	uint64_t count;         /* bytes in the buffer */
	int readers, writers;   /* open ends */
};

static struct pipe pipes[NPIPE];

/* Copy between the ring and user memory, k bytes from ring offset at. */
static int ring_copy(struct pipe *pp, uint64_t at, char *ubuf, uint64_t k,
		     int to_user)
{
	uint64_t first = PIPE_SIZE - at % PIPE_SIZE;

	if (first > k)
		first = k;
	if (to_user)
		return copy_to_user(ubuf, pp->buf + at % PIPE_SIZE, first) ||
		       copy_to_user(ubuf + first, pp->buf, k - first);
	return copy_from_user(pp->buf + at % PIPE_SIZE, ubuf, first) ||
	       copy_from_user(pp->buf, ubuf + first, k - first);
}

static int64_t pipe_read(struct file *f, char *ubuf, uint64_t n,
			 uint64_t *off)
{
	struct pipe *pp = f->pipe;
	uint64_t k;

	(void)off;
	if (!n)
		return 0;
	while (!pp->count) {
		if (!pp->writers)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (sig_interrupting(proc_current()))
			return -ERESTARTSYS;
		sched_block(pp);
	}
	k = n < pp->count ? n : pp->count;
	if (ring_copy(pp, pp->head, ubuf, k, 1))
		return -EFAULT;
	pp->head += k;
	pp->count -= k;
	sched_wakeup(pp);
	return (int64_t)k;
}

static int64_t pipe_write(struct file *f, const char *ubuf, uint64_t n,
			  uint64_t *off)
{
	struct proc *p = proc_current();
	struct pipe *pp = f->pipe;
	uint64_t done = 0;

	(void)off;
	while (done < n) {
		uint64_t room = PIPE_SIZE - pp->count, k = n - done;

		if (!pp->readers) {
			sig_send(p, SIGPIPE, p->pid);
			return done ? (int64_t)done : -EPIPE;
		}
		/* up to PIPE_BUF bytes go in whole, or wait */
		if (!room || (n <= PIPE_BUF && room < n)) {
			if (f->flags & O_NONBLOCK)
				return done ? (int64_t)done : -EAGAIN;
			if (sig_interrupting(p))
				return done ? (int64_t)done : -ERESTARTSYS;
			sched_wakeup(pp);
			sched_block(pp);
			continue;
		}
		if (k > room)
			k = room;
		if (ring_copy(pp, pp->head + pp->count, (char *)ubuf + done, k, 0))
			return done ? (int64_t)done : -EFAULT;
		pp->count += k;
		done += k;
		sched_wakeup(pp);
	}
	return (int64_t)done;
}

static void pipe_release(struct file *f)
{
	struct pipe *pp = f->pipe;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		pp->writers--;
	else
		pp->readers--;
	sched_wakeup(pp);
	if (!pp->readers && !pp->writers) {
		frame_free(V2P(pp->buf));
		pp->buf = NULL;
	}
	f->pipe = NULL;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
};

static int64_t do_pipe(int *ufds, int flags)
{
	struct pipe *pp = NULL;
	struct file *r = NULL, *w = NULL;
	int fds[2] = { -1, -1 };
	uint64_t pa;

	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return -EINVAL;
	for (int i = 0; i < NPIPE && !pp; i++)
		if (!pipes[i].buf)
			pp = &pipes[i];
	if (!pp)
		return -ENFILE;
	pa = frame_alloc(0, FRAME_KERNEL);
	if (!pa)
		return -ENOMEM;
	*pp = (struct pipe){ .buf = P2V(pa), .readers = 1, .writers = 1 };
	r = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK));
	w = r ? file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK)) : NULL;
	if (!w)
		goto fail;
	r->pipe = w->pipe = pp;
	fds[0] = fd_install(r, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? -1 : fd_install(w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0 || copy_to_user(ufds, fds, sizeof(fds))) {
		struct proc *p = proc_current();
		int64_t err = fds[1] < 0 ? -EMFILE : -EFAULT;

		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				p->files[fds[i]] = NULL;
		file_put(r);
		file_put(w);
		return err;
	}
	return 0;
fail:
	if (r) {
		pp->writers = 0;        /* the read end's release frees all */
		file_put(r);
	} else {
		frame_free(pa);
		pp->buf = NULL;
	}
	return -ENFILE;
}

int64_t sys_pipe(struct trapframe *tf)
{
	return do_pipe((int *)tf->rdi, 0);
}

int64_t sys_pipe2(struct trapframe *tf)
{
	return do_pipe((int *)tf->rdi, (int)tf->rsi);
}
