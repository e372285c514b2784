/*
 * walk.c: the host page walker (see walk.h).
 *
 * A 48-bit virtual address, as the MMU splits it (4-level paging; with
 * LA57 a PML5 index takes bits 56..48 and the sign extension starts at 57):
 *
 *   63       48 47     39 38     30 29     21 20     12 11          0
 *  +-----------+---------+---------+---------+---------+-------------+
 *  | sign ext. | PML4 idx| PDPT idx|  PD idx |  PT idx | page offset |
 *  |  of bit 47| level 3 | level 2 | level 1 | level 0 |             |
 *  +-----------+---------+---------+---------+---------+-------------+
 *
 * Reserved bits of a present entry (SDM vol. 3, 4.5, table 4-20):
 * bits 51..MAXPHYADDR at every level; bit 63 unless EFER.NXE; PS in a
 * PML5E/PML4E; PS in a PDPTE without 1 GiB page support; bits 29..13 of
 * a 1 GiB leaf and 20..13 of a 2 MiB leaf (bit 12 is PAT there).
 */
#include <stdio.h>
#include <stdlib.h>

#include "mm/pte.h"
#include "vmm/audit/walk.h"

#define WALK_BITS(hi, lo) ((~0ULL >> (63 - (hi))) & ~((1ULL << (lo)) - 1))
#define WALK_USER_SLOTS   256   /* top-level slots 0..255: the user half */

_Static_assert(WALK_BITS(20, 13) == 0x1fe000ULL, "2 MiB leaf reserved bits");
_Static_assert(WALK_BITS(51, 46) == 0x000fc00000000000ULL, "MAXPHYADDR 46");
_Static_assert(PT_SHIFT(4) == 48, "PML5 index starts at bit 48");

static const char *const walk_level_names[WALK_MAX_LEVELS] = {
	"PT", "PD", "PDPT", "PML4", "PML5",
};

/* Flag names in bit order; PS only means "large page" above the PT. */
static const struct {
	uint64_t bit;
	const char *name;
} walk_flag_names[] = {
	{ PTE_P, "P" }, { PTE_RW, "RW" }, { PTE_US, "US" },
	{ PTE_PWT, "PWT" }, { PTE_PCD, "PCD" }, { PTE_A, "A" },
	{ PTE_D, "D" }, { PTE_PS, "PS" }, { PTE_G, "G" }, { PTE_NX, "NX" },
	{ PTE_SW_SHARED, "SHARED" }, { PTE_SW_COW, "COW" },
	{ PTE_SW_ZERO, "ZERO" }, { PTE_SW_PROTNONE, "PROTNONE" },
};

struct walk_mode walk_mode_default(unsigned maxphyaddr)
{
	return (struct walk_mode){
		.levels = 4, .maxphyaddr = maxphyaddr, .nxe = true,
		.gbpages = false,
	};
}

const char *walk_level_name(int level)
{
	return level >= 0 && level < WALK_MAX_LEVELS ?
	       walk_level_names[level] : "?";
}

uint64_t walk_reserved(const struct walk_mode *mode, int level,
		       uint64_t entry)
{
	unsigned maxphy = mode->maxphyaddr > 52 || mode->maxphyaddr < 32 ?
			  52 : mode->maxphyaddr;
	uint64_t r = maxphy < 52 ? entry & WALK_BITS(51, maxphy) : 0;

	if (!mode->nxe)
		r |= entry & PTE_NX;
	if (!(entry & PTE_PS) || level == 0)
		return r;
	if (level >= 3)
		r |= PTE_PS;
	else if (level == 2)
		r |= mode->gbpages ? entry & WALK_BITS(29, 13) : PTE_PS;
	else
		r |= entry & WALK_BITS(20, 13);
	return r;
}

char *walk_flags_str(uint64_t entry, int level, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(walk_flag_names) /
			       sizeof(walk_flag_names[0]); i++) {
		if (!(entry & walk_flag_names[i].bit))
			continue;
		if (walk_flag_names[i].bit == PTE_PS && level == 0)
			continue;       /* PAT in a PTE */
		if (len < cap)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s",
						len ? " " : "",
						walk_flag_names[i].name);
	}
	return buf;
}

/* Whether va is canonical for the number of paging levels. */
static bool walk_canonical(uint64_t va, int levels)
{
	int top = levels == 5 ? 56 : 47;
	uint64_t high = va >> top;

	return high == 0 || high == (~0ULL >> top);
}

uint64_t walk_leaf_base(uint64_t entry, int level)
{
	return entry & PTE_ADDR_MASK & ~(PT_LEVEL_SIZE(level) - 1);
}

uint64_t walk_accumulate(uint64_t acc, uint64_t entry)
{
	return (acc & entry & (PTE_RW | PTE_US)) | ((acc | entry) & PTE_NX) |
	       PTE_P;
}

enum walk_status walk_va(const struct gmem *m, const struct walk_mode *mode,
			 uint64_t root, uint64_t va, struct walk *w)
{
	uint64_t table = root & PTE_ADDR_MASK;
	uint64_t acc = PTE_RW | PTE_US;

	*w = (struct walk){ .va = va };
	if (!walk_canonical(va, mode->levels))
		return w->status = WALK_NONCANONICAL;

	for (int level = mode->levels - 1; level >= 0; level--) {
		struct walk_step *s = &w->step[w->nsteps++];
		uint64_t e;

		s->level = level;
		s->index = (unsigned)PX(level, va);
		s->table = table;
		if (gmem_read64(m, table + 8ULL * s->index, &e) < 0)
			return w->status = WALK_OUTSIDE_RAM;
		s->entry = e;
		if (!(e & PTE_P))
			return w->status = WALK_NOT_PRESENT;
		s->rsvd = walk_reserved(mode, level, e);
		if (s->rsvd)
			return w->status = WALK_RESERVED;
		acc = walk_accumulate(acc, e);
		if (level == 0 || (e & PTE_PS)) {
			w->page_size = PT_LEVEL_SIZE(level);
			w->pa = walk_leaf_base(e, level) +
				(va & (w->page_size - 1));
			w->leaf = e;
			w->eff = (e & ~(PTE_ADDR_MASK | PTE_RW | PTE_US |
					PTE_NX)) | acc;
			return w->status = WALK_OK;
		}
		table = e & PTE_ADDR_MASK;
	}
	return w->status = WALK_NOT_PRESENT;     /* not reached */
}

int walk_format(const struct walk *w, char *buf, size_t cap)
{
	size_t len = 0;
	char flags[96];

#define WALK_PUT(...) do {                                                  \
	int n_ = snprintf(buf + (len < cap ? len : cap),                    \
			  len < cap ? cap - len : 0, __VA_ARGS__);          \
	len += n_ > 0 ? (size_t)n_ : 0;                                     \
} while (0)

	if (cap)
		buf[0] = '\0';
	if (w->status == WALK_NONCANONICAL) {
		WALK_PUT("VA 0x%llx is not canonical", (unsigned long long)w->va);
		return (int)len;
	}
	for (int i = 0; i < w->nsteps; i++) {
		const struct walk_step *s = &w->step[i];
		bool last = i == w->nsteps - 1;

		WALK_PUT("%s%s[%u]", i ? " -> " : "", walk_level_name(s->level),
			 s->index);
		if (last && w->status == WALK_OUTSIDE_RAM) {
			WALK_PUT(" (table 0x%llx outside guest RAM)",
				 (unsigned long long)s->table);
			return (int)len;
		}
		walk_flags_str(s->entry, s->level, flags, sizeof(flags));
		WALK_PUT("=0x%llx%s%s%s", (unsigned long long)s->entry,
			 flags[0] ? "(" : "", flags, flags[0] ? ")" : "");
		if (last && w->status == WALK_NOT_PRESENT)
			WALK_PUT(" not present");
		if (last && w->status == WALK_RESERVED)
			WALK_PUT(" reserved bits 0x%llx set",
				 (unsigned long long)s->rsvd);
	}
	if (w->status == WALK_OK)
		WALK_PUT(" -> frame 0x%llx + 0x%llx (%llu KiB page)",
			 (unsigned long long)(w->pa & ~(w->page_size - 1)),
			 (unsigned long long)(w->pa & (w->page_size - 1)),
			 (unsigned long long)(w->page_size >> 10));
#undef WALK_PUT
	return (int)len;
}

/* The iterator's recursion state. */
struct walk_ctx {
	const struct gmem *m;
	const struct walk_mode *mode;
	const struct walk_visitor *v;
	uint64_t *seen;         /* one bit per guest frame: tables reached */
};

/* Mark table (in RAM) reached; false if it was already. */
static bool walk_first_visit(const struct walk_ctx *c, uint64_t table)
{
	uint64_t f = table / PAGE_SIZE, bit = 1ULL << (f % 64);

	if (c->seen[f / 64] & bit)
		return false;
	c->seen[f / 64] |= bit;
	return true;
}

static void walk_problem(const struct walk_ctx *c, enum walk_problem_kind k,
			 int level, uint64_t va, uint64_t gpa, uint64_t entry,
			 uint64_t bits)
{
	struct walk_problem p = {
		.kind = k, .level = level, .va = va, .entry_gpa = gpa,
		.entry = entry, .bits = bits,
	};

	if (c->v->problem)
		c->v->problem(c->v->arg, &p);
}

/*
 * Visit the table at GPA table, at level, covering VAs from base; acc is
 * the rights accumulated above it.  Returns 0 or the leaf callback's stop
 * value.
 */
static int walk_table(const struct walk_ctx *c, uint64_t table, int level,
		      uint64_t base, uint64_t acc)
{
	const uint64_t *t = gmem_ptr(c->m, table, PAGE_SIZE);
	unsigned n = level == c->mode->levels - 1 ? WALK_USER_SLOTS :
						   PT_ENTRIES;

	if (c->v->table)
		c->v->table(c->v->arg, table, level);
	for (unsigned i = 0; i < n; i++) {
		uint64_t e = t[i], gpa = table + 8ULL * i, rsvd, a;
		uint64_t va = base | (uint64_t)i << PT_SHIFT(level);
		int r;

		if (!(e & PTE_P))
			continue;
		rsvd = walk_reserved(c->mode, level, e);
		if (rsvd) {
			walk_problem(c, WALK_PROB_RESERVED, level, va, gpa, e,
				     rsvd);
			continue;
		}
		a = walk_accumulate(acc, e);
		if (level == 0 || (e & PTE_PS)) {
			struct walk_leaf l = {
				.va = va, .pa = walk_leaf_base(e, level),
				.size = PT_LEVEL_SIZE(level),
				.eff = (e & ~(PTE_ADDR_MASK | PTE_RW | PTE_US |
					      PTE_NX)) | a,
				.pte = e, .pte_gpa = gpa, .level = level,
			};

			if (!gmem_ptr(c->m, l.pa, l.size)) {
				walk_problem(c, WALK_PROB_FRAME_OUTSIDE_RAM,
					     level, va, gpa, e, l.pa);
				continue;
			}
			r = c->v->leaf ? c->v->leaf(c->v->arg, &l) : 0;
		} else if (!gmem_ptr(c->m, e & PTE_ADDR_MASK, PAGE_SIZE)) {
			walk_problem(c, WALK_PROB_TABLE_OUTSIDE_RAM, level, va,
				     gpa, e, e & PTE_ADDR_MASK);
			continue;
		} else if (!walk_first_visit(c, e & PTE_ADDR_MASK)) {
			walk_problem(c, WALK_PROB_TABLE_ALIAS, level, va, gpa,
				     e, e & PTE_ADDR_MASK);
			continue;
		} else {
			r = walk_table(c, e & PTE_ADDR_MASK, level - 1, va, a);
		}
		if (r)
			return r;
	}
	return 0;
}

int walk_user(const struct gmem *m, const struct walk_mode *mode,
	      uint64_t root, const struct walk_visitor *v)
{
	struct walk_ctx c = { .m = m, .mode = mode, .v = v };
	int r;

	root &= PTE_ADDR_MASK;
	if (!gmem_ptr(m, root, PAGE_SIZE)) {
		walk_problem(&c, WALK_PROB_ROOT_OUTSIDE_RAM, mode->levels - 1,
			     0, root, 0, root);
		return 0;
	}
	c.seen = calloc(m->size / PAGE_SIZE / 64 + 1, sizeof(*c.seen));
	if (!c.seen)
		return -1;
	walk_first_visit(&c, root);
	r = walk_table(&c, root, mode->levels - 1, 0, PTE_RW | PTE_US);
	free(c.seen);
	return r;
}
