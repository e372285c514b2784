/*
 * hostmaps.c: see hostmaps.h.  A run continues while the next leaf starts
 * where the run ends and has the same effective permissions; the frames
 * need not be contiguous (a run is a VA range, as in /proc/PID/maps).
 */
#include "mm/pte.h"
#include "mm/x86.h"
#include "vmm/audit/hostmaps.h"

#define HOSTMAPS_PERM (PTE_P | PTE_RW | PTE_US | PTE_NX)

struct hostmaps_ctx {
	struct hostmap_run run;
	void (*fn)(void *, const struct hostmap_run *);
	void *arg;
	long n;
};

static void hostmaps_flush(struct hostmaps_ctx *c)
{
	if (!c->run.pages)
		return;
	c->fn(c->arg, &c->run);
	c->n++;
	c->run.pages = 0;
}

static int hostmaps_leaf(void *arg, const struct walk_leaf *l)
{
	struct hostmaps_ctx *c = arg;
	uint64_t eff = (l->eff & HOSTMAPS_PERM) | (l->pte & PTE_SW_SHARED);

	if (c->run.pages && (l->va != c->run.end || eff != c->run.eff))
		hostmaps_flush(c);
	if (!c->run.pages) {
		c->run.start = l->va;
		c->run.first_pa = l->pa;
		c->run.eff = eff;
	}
	c->run.end = l->va + l->size;
	c->run.pages += l->size >> 12;
	return 0;
}

long hostmaps_walk(const struct gmem *m, const struct walk_mode *mode,
		   uint64_t root, void (*fn)(void *arg,
					     const struct hostmap_run *r),
		   void *arg)
{
	struct hostmaps_ctx c = { .fn = fn, .arg = arg };
	struct walk_visitor v = { .leaf = hostmaps_leaf, .arg = &c };

	if (walk_user(m, mode, root, &v) < 0)
		return -1;
	hostmaps_flush(&c);
	return c.n;
}

void hostmaps_perms(uint64_t eff, char out[5])
{
	out[0] = 'r';   /* a present user page can always be read */
	out[1] = (eff & PTE_RW) ? 'w' : '-';
	out[2] = (eff & PTE_NX) ? '-' : 'x';
	out[3] = (eff & PTE_SW_SHARED) ? 's' : 'p';
	out[4] = '\0';
}
