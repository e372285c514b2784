/*
 * mm_sim_walk.c: a software x86-64 MMU over the simulated memory.
 *
 * It reads the tables exactly as the hardware does: 4 levels from the
 * PML4 at root, P required at every level, RW and US ANDed and NX ORed
 * across levels, PS honoured at the PD level (2 MiB) and reserved at the
 * PML4, and it sets A (and D on a write) in the entries it uses.  A small
 * TLB caches successful translations of the "loaded" root (sim_cr3);
 * flushes drop entries, a #PF drops the faulting entry.  It shares no
 * code with mm/: its index arithmetic is written out on its own.
 */
#include <stdio.h>
#include <string.h>
#include "mm_sim.h"
#include "mm/pte.h"

#define TLB_SIZE 64

struct tlb_entry {
	bool valid;
	uint64_t root, vpn, pfn;
	bool rw, us, nx;
};

static struct tlb_entry tlb[TLB_SIZE];
static unsigned tlb_next;

static uint64_t *sim_table(uint64_t pa)
{
	return (uint64_t *)(sim_mem + pa);
}

static unsigned idx(uint64_t va, int level)
{
	return (unsigned)((va >> (12 + 9 * level)) & 511);
}

/* 0: translated; -1: not present at x->level; -2: reserved bit. */
static int walk(uint64_t root, uint64_t va, struct sim_xlate *x, bool touch,
		bool write)
{
	uint64_t t = root, *path[4];
	int level;

	memset(x, 0, sizeof(*x));
	x->rw = x->us = true;
	for (level = 3; level >= 0; level--) {
		uint64_t *ep = &sim_table(t)[idx(va, level)], e = *ep;

		path[level] = ep;
		if (!(e & 1)) {
			x->level = level;
			return -1;
		}
		if ((e & 0x000ffffffffff000ULL) >= sim_mem_size ||
		    (level == 3 && (e & 0x80)))
			return -2;
		x->rw &= (e >> 1) & 1;
		x->us &= (e >> 2) & 1;
		x->nx |= e >> 63;
		if (level == 2 && (e & 0x80))
			return -2;               /* 1 GiB pages: not supported */
		if (level == 0 || (level == 1 && (e & 0x80))) {
			uint64_t mask = level ? (1ULL << 21) - 1 : 4095;
			uint64_t base = e & 0x000ffffffffff000ULL & ~mask;

			x->level = level;
			x->leaf = e;
			x->pa = base | (va & mask);
			if (touch) {
				for (int l = 3; l >= level; l--)
					*path[l] |= 0x20;          /* A */
				if (write)
					*path[level] |= 0x40;      /* D */
			}
			return 0;
		}
		t = e & 0x000ffffffffff000ULL;
	}
	return -1;
}

/* Translate va under root as the MMU would, without side effects.
 * Returns 0, -1 (not present; x->level says where) or -2 (reserved). */
int sim_walk(uint64_t root, uint64_t va, struct sim_xlate *x)
{
	return walk(root, va, x, false, false);
}

void sim_tlb_reset(void)
{
	memset(tlb, 0, sizeof(tlb));
	tlb_next = 0;
}

void sim_tlb_drop(uint64_t root, uint64_t va, bool all)
{
	unsigned i;

	if (root != sim_cr3)
		return;
	for (i = 0; i < TLB_SIZE; i++)
		if (tlb[i].valid && tlb[i].root == root &&
		    (all || tlb[i].vpn == va >> 12))
			tlb[i].valid = false;
}

static bool allowed(bool rw, bool us, bool nx, unsigned access)
{
	if ((access & SIM_USER) && !us)
		return false;
	if ((access & SIM_WRITE) && !rw)
		return false;           /* CR0.WP = 1: supervisor too */
	if ((access & SIM_FETCH) && nx)
		return false;
	return true;
}

/*
 * One access as the CPU does it.  Returns 0 and the physical address, or
 * the #PF error code (P set for a protection fault, plus W/U/I from the
 * access, RSVD for a reserved bit).
 */
uint64_t sim_access(uint64_t root, uint64_t va, unsigned access, uint64_t *pa)
{
	struct sim_xlate x;
	unsigned i;
	int r;

	if (root == sim_cr3) {
		for (i = 0; i < TLB_SIZE; i++) {
			struct tlb_entry *e = &tlb[i];

			if (!e->valid || e->root != root || e->vpn != va >> 12)
				continue;
			if (allowed(e->rw, e->us, e->nx, access)) {
				if (pa)
					*pa = (e->pfn << 12) | (va & 4095);
				return 0;
			}
			e->valid = false;  /* re-walk, as on a permission miss */
		}
	}
	r = walk(root, va, &x, true, access & SIM_WRITE);
	if (r == -2)
		return 0x8 | 1 | (access & (SIM_WRITE | SIM_USER | SIM_FETCH));
	if (r < 0 || !allowed(x.rw, x.us, x.nx, access)) {
		sim_tlb_drop(root, va, false);
		return (r == 0 ? 1 : 0) | (access & (SIM_WRITE | SIM_USER | SIM_FETCH));
	}
	if (root == sim_cr3) {
		struct tlb_entry *e = &tlb[tlb_next++ % TLB_SIZE];

		e->valid = true;
		e->root = root;
		e->vpn = va >> 12;
		e->pfn = x.pa >> 12;
		e->rw = x.rw;
		e->us = x.us;
		e->nx = x.nx;
	}
	if (pa)
		*pa = x.pa;
	return 0;
}

/* Every cached translation of the loaded root still matches the tables,
 * or is weaker than them.  Else false and why. */
bool sim_tlb_coherent(char *why, size_t len)
{
	unsigned i;

	for (i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &tlb[i];
		struct sim_xlate x;

		if (!e->valid || e->root != sim_cr3)
			continue;
		if (walk(e->root, e->vpn << 12, &x, false, false) < 0) {
			snprintf(why, len, "stale TLB entry for %lx: now unmapped",
				 (unsigned long)(e->vpn << 12));
			return false;
		}
		if ((x.pa >> 12) != e->pfn || (e->rw && !x.rw) ||
		    (e->us && !x.us) || (!e->nx && x.nx)) {
			snprintf(why, len,
				 "stale TLB entry for %lx: cached pfn %lx rw %d nx %d,"
				 " tables pfn %lx rw %d nx %d",
				 (unsigned long)(e->vpn << 12),
				 (unsigned long)e->pfn, e->rw, e->nx,
				 (unsigned long)(x.pa >> 12), x.rw, x.nx);
			return false;
		}
	}
	return true;
}

uint64_t sim_pte(uint64_t root, uint64_t va)
{
	uint64_t t = root;
	int level;

	for (level = 3; level > 0; level--) {
		uint64_t e = sim_table(t)[idx(va, level)];

		if (!(e & 1) || (e & 0x80))
			return 0;
		t = e & 0x000ffffffffff000ULL;
	}
	return sim_table(t)[idx(va, 0)];
}

struct check {
	char *why;
	size_t len;
	uint64_t leaves;
	bool ok;
};

static void fail(struct check *c, const char *msg, uint64_t va, uint64_t e)
{
	if (c->ok)
		snprintf(c->why, c->len, "%s: va %lx entry %lx", msg,
			 (unsigned long)va, (unsigned long)e);
	c->ok = false;
}

static void check_table(struct check *c, uint64_t t, int level, uint64_t base)
{
	struct frame *tf = frame_of(t);
	unsigned i, nonzero = 0;
	int max = level == 3 ? 256 : 512;

	if (tf->state != FRAME_PAGETABLE)
		fail(c, "table frame is not FRAME_PAGETABLE", base, t);
	for (i = 0; i < (unsigned)max; i++) {
		uint64_t e = sim_table(t)[i];
		uint64_t va = base + ((uint64_t)i << (12 + 9 * level));

		if (!e)
			continue;
		nonzero++;
		if (level > 0) {
			/* a PD entry at a leaf table shared since a fork is
			 * read-only and marked (mm/ptshare.c) */
			bool shared = level == 1 && (e & PDE_SW_PTSHARED);

			if ((e & 0x87) != (shared ? 0x5 : 0x7))
				fail(c, shared ? "shared-table entry not P|US without RW, PS" :
				     "intermediate entry not P|RW|US without PS", va, e);
			else
				check_table(c, e & PTE_ADDR_MASK, level - 1, va);
			continue;
		}
		c->leaves++;
		{
			uint64_t pa = PTE_ADDR(e);
			struct frame *f = frame_of(pa);

			if (!(e & PTE_P) && !(e & PTE_SW_PROTNONE))
				fail(c, "non-present leaf without PROTNONE", va, e);
			if ((e & PTE_P) && !(e & PTE_US))
				fail(c, "user leaf without US", va, e);
			if (f->state != FRAME_ANON && f->state != FRAME_ZERO &&
			    f->state != FRAME_FILE)
				fail(c, "leaf maps a frame that is not user memory", va, e);
			if (f->mapcount == 0)
				fail(c, "leaf maps a frame with mapcount 0", va, e);
			if (((e & PTE_SW_ZERO) != 0) != (pa == mm_zero_page()))
				fail(c, "PTE_SW_ZERO disagrees with the frame", va, e);
			if (pa == mm_zero_page() && (e & PTE_RW))
				fail(c, "zero page mapped writable", va, e);
		}
	}
	if (tf->count != nonzero && level != 3)
		fail(c, "table count disagrees with its entries", base, tf->count);
}

/* Check every user-half table and leaf under root (see check_table). */
bool sim_check_tables(uint64_t root, char *why, size_t len, uint64_t *leaves)
{
	struct check c = { why, len, 0, true };

	check_table(&c, root, 3, 0);
	if (c.ok) {
		unsigned i, n = 0;

		for (i = 0; i < 256; i++)
			n += sim_table(root)[i] != 0;
		if (n != frame_of(root)->count)
			fail(&c, "root count disagrees with its user entries", 0,
			     frame_of(root)->count);
	}
	if (leaves)
		*leaves = c.leaves;
	return c.ok;
}

int sim_user_access(struct mm *mm, uint64_t va, unsigned access, uint64_t *pa)
{
	int tries;

	for (tries = 0; tries < 4; tries++) {
		uint64_t err = sim_access(mm->root, va, access | SIM_USER, pa);
		enum mm_fault_outcome o;

		if (!err)
			return -1;
		o = mm_fault(mm, va, err);
		if (!mm_fault_resolved(o))
			return (int)o;
	}
	return MM_FAULT_NR;          /* the same fault keeps coming back */
}

int sim_user_write8(struct mm *mm, uint64_t va, uint8_t v)
{
	uint64_t pa;
	int r = sim_user_access(mm, va, SIM_WRITE, &pa);

	if (r < 0)
		sim_mem[pa] = v;
	return r;
}

int sim_user_read8(struct mm *mm, uint64_t va, uint8_t *v)
{
	uint64_t pa;
	int r = sim_user_access(mm, va, SIM_READ, &pa);

	if (r < 0)
		*v = sim_mem[pa];
	return r;
}
