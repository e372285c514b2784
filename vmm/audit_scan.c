/*
 * audit_scan.c: the provenance invariant over one frame: every tag word
 * (vmmtest.h: magic, owner pid, sequence) belongs to a process entitled
 * to the frame's mappers: the mapper itself, an ancestor (parent chain
 * from HC_AS_CREATE), or, through a PTE_SW_SHARED mapping, a co-sharer.
 */
#include <stdbool.h>

#include "mm/pte.h"
#include "vmm/audit.h"
#include "vmm/audit_map.h"
#include "vmm/registry.h"

/* Provenance tags (guest/user/include/vmmtest.h, hand-copied: that header
 * is the user programs' and needs their libc). */
#define AUDIT_TAG_MAGIC      0x5441470000000000ULL
#define AUDIT_TAG_MASK       0xffffff0000000000ULL
#define AUDIT_TAG_PID(w)     (((w) >> 24) & 0xffff)
#define AUDIT_PID16(pid)     ((pid) & 0xffff)
#define AUDIT_MAX_ANCESTORS  64
#define AUDIT_WORDS          (PAGE_SIZE / 8)

typedef unsigned long long ull_t;

_Static_assert(AUDIT_TAG_MAGIC == 0x544147ULL << 40, "tag magic in 63..40");

/* Latest record of pid (live or not), or NULL. */
static const struct registry_as *audit_as_of(const struct registry *reg,
					     uint64_t pid16)
{
	for (int i = reg->nas - 1; i >= 0; i--)
		if (AUDIT_PID16(reg->as[i].pid) == pid16)
			return &reg->as[i];
	return NULL;
}

/*
 * May the process of mapping m hold a tag of owner (16-bit pid)?  Its
 * own, an ancestor's, or, through a shared mapping, a co-sharer's.
 */
static bool audit_entitled(const struct registry *reg,
			   const struct audit_map *g, size_t n,
			   const struct audit_map *m, uint64_t owner)
{
	const struct registry_as *as = &reg->as[m->as];
	uint64_t p = as->parent;

	if (AUDIT_PID16(as->pid) == owner)
		return true;
	for (int depth = 0; p && depth < AUDIT_MAX_ANCESTORS; depth++) {
		const struct registry_as *anc;

		if (AUDIT_PID16(p) == owner)
			return true;
		anc = audit_as_of(reg, AUDIT_PID16(p));
		if (!anc)
			break;
		p = anc->parent;
	}
	if (!(m->pte & PTE_SW_SHARED))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((g[i].pte & PTE_SW_SHARED) &&
		    AUDIT_PID16(reg->as[g[i].as].pid) == owner)
			return true;
	return false;
}

enum audit_owner { AUDIT_OWNER_UNKNOWN, AUDIT_OWNER_LIVE, AUDIT_OWNER_EXITED };

/*
 * Who is owner (16-bit pid)?  UNKNOWN when no address space ever had that
 * pid: then the word is not a process's tag but a constant that happens
 * to look like one (TAG_MAGIC itself, pid 0, sits in the code and on the
 * stack of every program that uses vmmtest.h).
 */
static enum audit_owner audit_owner(const struct registry *reg, uint64_t owner)
{
	enum audit_owner o = AUDIT_OWNER_UNKNOWN;

	for (int i = 0; i < reg->nas; i++) {
		if (AUDIT_PID16(reg->as[i].pid) != owner)
			continue;
		if (reg->as[i].alive)
			return AUDIT_OWNER_LIVE;
		o = AUDIT_OWNER_EXITED;
	}
	return o;
}

/* The first word of owner's at index i in the frame of group g: report
 * every mapping of the frame not entitled to it. */
static void audit_check_owner(struct audit *a, const struct registry *reg,
			      const struct audit_map *g, size_t n,
			      const uint64_t *words, unsigned i)
{
	uint64_t owner = AUDIT_TAG_PID(words[i]);

	for (size_t j = 0; j < n; j++) {
		const struct registry_as *as = &reg->as[g[j].as];
		struct audit_key k = {
			.kind = AUDIT_STALE, .frame = g->pfn * PAGE_SIZE,
			.pid = as->pid, .owner = owner,
			.va = g[j].va + 8ULL * i, .offset = 8ULL * i,
		};
		unsigned count = 0;

		if (audit_entitled(reg, g, n, &g[j], owner))
			continue;
		for (unsigned x = i; x < AUDIT_WORDS; x++)
			count += (words[x] & AUDIT_TAG_MASK) == AUDIT_TAG_MAGIC &&
				 AUDIT_TAG_PID(words[x]) == owner;
		audit_violate(a, &k, "stale content: frame 0x%llx mapped by pid "
			      "%llu at VA 0x%llx holds pid %llu's tag at offset "
			      "0x%llx (clear=%s); %u of its words carry pid "
			      "%llu's tags", (ull_t)k.frame, (ull_t)as->pid,
			      (ull_t)g[j].va, (ull_t)owner, (ull_t)k.offset,
			      a->clear, count, (ull_t)owner);
	}
}

/*
 * The usual case, checked first with a loop the compiler vectorizes: no
 * tag word in the frame but pid16's own.  Only meaningful when every
 * mapping of the frame belongs to pid16 (a live process).
 */
static bool audit_frame_own(const uint64_t *words, uint64_t pid16)
{
	const uint64_t mine = AUDIT_TAG_MAGIC | pid16 << 24;
	const uint64_t tag_pid_mask = AUDIT_TAG_MASK | 0xffffULL << 24;
	uint64_t bad = 0;

	for (unsigned i = 0; i < AUDIT_WORDS; i++) {
		uint64_t w = words[i];

		bad |= (w & AUDIT_TAG_MASK) == AUDIT_TAG_MAGIC ?
		       (w ^ mine) & tag_pid_mask : 0;
	}
	return !bad;
}

void audit_scan_frame(struct audit *a, const struct registry *reg,
			     const struct audit_map *g, size_t n)
{
	uint64_t frame = g->pfn * PAGE_SIZE;
	const uint64_t *words = gmem_ptr(&a->mem, frame, PAGE_SIZE);
	uint64_t cached = ~0ULL, pid16 = AUDIT_PID16(reg->as[g->as].pid);
	enum audit_owner who = AUDIT_OWNER_UNKNOWN;
	size_t k;

	for (k = 1; k < n && AUDIT_PID16(reg->as[g[k].as].pid) == pid16; k++)
		;
	if (k == n && audit_frame_own(words, pid16))
		return;

	for (unsigned i = 0; i < AUDIT_WORDS; i++) {
		uint64_t w = words[i], owner;

		if ((w & AUDIT_TAG_MASK) != AUDIT_TAG_MAGIC)
			continue;
		owner = AUDIT_TAG_PID(w);
		if (owner != cached) {
			cached = owner;
			who = audit_owner(reg, owner);
			if (who != AUDIT_OWNER_UNKNOWN)
				audit_check_owner(a, reg, g, n, words, i);
		}
		a->exited_tags += who == AUDIT_OWNER_EXITED;
		a->unknown_tags += who == AUDIT_OWNER_UNKNOWN;
	}
}

