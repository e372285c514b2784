/*
 * pagemap.c: see pagemap.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "mm/pte.h"
#include "vmm/audit/pagemap.h"

struct pagemap_ctx {
	int fd;
	const struct frame_census *c;
	long pages;
	int err;
};

uint64_t pagemap_entry(uint64_t pa, uint64_t pte, const struct frame_census *c)
{
	uint64_t f = pa >> PAGE_SHIFT, e = PAGEMAP_PRESENT | (f & PAGEMAP_PFN_MASK);

	if (pte & PTE_D)
		e |= PAGEMAP_SOFT_DIRTY;
	if (pte & PTE_SW_SHARED)
		e |= PAGEMAP_FILE_SHARED;
	if (c && f < c->nframes && c->maps[f] == 1)
		e |= PAGEMAP_EXCLUSIVE;
	return e;
}

static int pagemap_leaf(void *arg, const struct walk_leaf *l)
{
	struct pagemap_ctx *p = arg;

	for (uint64_t off = 0; off < l->size; off += PAGE_SIZE) {
		uint64_t e = pagemap_entry(l->pa + off, l->pte, p->c);
		off_t pos = (off_t)(((l->va + off) >> PAGE_SHIFT) * sizeof(e));

		if (pwrite(p->fd, &e, sizeof(e), pos) != (ssize_t)sizeof(e)) {
			p->err = errno ? errno : EIO;
			return 1;
		}
		p->pages++;
	}
	return 0;
}

long pagemap_write(const char *path, const struct gmem *m,
		   const struct walk_mode *mode, uint64_t root,
		   const struct frame_census *c)
{
	struct pagemap_ctx p = { .c = c };
	struct walk_visitor v = { .leaf = pagemap_leaf, .arg = &p };

	p.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (p.fd < 0)
		return -errno;
	if (walk_user(m, mode, root, &v) < 0 && !p.err)
		p.err = ENOMEM;
	if (close(p.fd) < 0 && !p.err)
		p.err = errno;
	return p.err ? -p.err : p.pages;
}
