/*
 * audit_scan.c: the provenance invariant over one frame: every tag word
 * (vmmtest.h: magic, owner pid, sequence) belongs to a process entitled
 * to the frame's mappers: the mapper itself, an ancestor (parent chain
 * from HC_AS_CREATE), or, through a PTE_SW_SHARED mapping, a co-sharer.
 */
#include <stdbool.h>
#include <string.h>

#include "mm/frame.h"          /* FRAME_FREE: the kernel's states */
#include "mm/poison.h"
#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/audit/audit_map.h"
#include "vmm/audit/tag.h"
#include "vmm/registry.h"

#define AUDIT_MAX_ANCESTORS  64
#define AUDIT_WORDS          (PAGE_SIZE / 8)

typedef unsigned long long ull_t;


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
 * The tag check of a whole frame against one owner, without a branch per
 * word: bad collects the tag words of any other pid, ntags counts every
 * tag word.  Written with GCC vector types and compiled twice, for AVX2
 * (chosen at run time when the CPU has it) and for the SSE2 baseline.
 */
struct audit_own {
	uint64_t bad;           /* nonzero: a tag word of another pid */
	uint64_t ntags;         /* tag words in the frame */
};

#define AUDIT_OWN_BODY(VEC)                                                 	const VEC magic = AUDIT_TAG_MAGIC + (VEC){ 0 };                     	const VEC mask = AUDIT_TAG_MASK + (VEC){ 0 };                       	const VEC tpmask = (AUDIT_TAG_MASK | 0xffffULL << 24) + (VEC){ 0 }; 	const VEC mine = (AUDIT_TAG_MAGIC | pid16 << 24) + (VEC){ 0 };      	const unsigned lanes = sizeof(VEC) / 8;                             	VEC bad = { 0 }, cnt = { 0 };                                       	struct audit_own r = { 0, 0 };                                      									    	for (unsigned i = 0; i < AUDIT_WORDS; i += 2 * lanes) {             		VEC w0, w1, t0, t1;                                         									    		__builtin_memcpy(&w0, words + i, sizeof(w0));               		__builtin_memcpy(&w1, words + i + lanes, sizeof(w1));       		t0 = (VEC)((w0 & mask) == magic);                           		t1 = (VEC)((w1 & mask) == magic);                           		bad |= t0 & ~(VEC)((w0 & tpmask) == mine);                  		bad |= t1 & ~(VEC)((w1 & tpmask) == mine);                  		cnt -= t0;                                                  		cnt -= t1;                                                  	}                                                                   	for (unsigned l = 0; l < lanes; l++) {                              		r.bad |= bad[l];                                            		r.ntags += cnt[l];                                          	}                                                                   	return r

typedef uint64_t audit_v2 __attribute__((vector_size(16)));
typedef uint64_t audit_v4 __attribute__((vector_size(32)));

static struct audit_own audit_own_sse2(const uint64_t *words, uint64_t pid16)
{
	AUDIT_OWN_BODY(audit_v2);
}

__attribute__((target("avx2")))
static struct audit_own audit_own_avx2(const uint64_t *words, uint64_t pid16)
{
	AUDIT_OWN_BODY(audit_v4);
}

static struct audit_own audit_own_pick(const uint64_t *words, uint64_t pid16);
static struct audit_own (*audit_own)(const uint64_t *, uint64_t) =
	audit_own_pick;

/* First call: choose the widest version the CPU runs. */
static struct audit_own audit_own_pick(const uint64_t *words, uint64_t pid16)
{
	__builtin_cpu_init();
	audit_own = __builtin_cpu_supports("avx2") ? audit_own_avx2 :
						       audit_own_sse2;
	return audit_own(words, pid16);
}

/*
 * Every tag word of the frame is owner's (16-bit pid), the first at index
 * first: the per-word loop below would find owner once and count every
 * tag word for it, so do exactly that without the loop.
 */
static void audit_scan_one_owner(struct audit *a, const struct registry *reg,
				 const struct audit_map *g, size_t n,
				 const uint64_t *words, uint64_t owner,
				 uint64_t ntags)
{
	enum audit_owner who = audit_owner(reg, owner);
	unsigned first = 0;

	if (who != AUDIT_OWNER_UNKNOWN) {
		while ((words[first] & AUDIT_TAG_MASK) != AUDIT_TAG_MAGIC)
			first++;
		audit_check_owner(a, reg, g, n, words, first);
	}
	a->exited_tags += who == AUDIT_OWNER_EXITED ? ntags : 0;
	a->unknown_tags += who == AUDIT_OWNER_UNKNOWN ? ntags : 0;
}

/* Index of the first tag word of the frame, or AUDIT_WORDS. */
static unsigned audit_first_tag(const uint64_t *words)
{
	unsigned i = 0;

	while (i < AUDIT_WORDS &&
	       (words[i] & AUDIT_TAG_MASK) != AUDIT_TAG_MAGIC)
		i++;
	return i;
}

unsigned audit_kernel_state(const struct audit *a,
				   const struct registry *reg, uint64_t pfn)
{
	const uint8_t *st;

	if (!reg->has_frame_table || pfn >= reg->frame_table_n)
		return FRAME_NSTATES;
	st = gmem_ptr(&a->mem, reg->frame_table + pfn * reg->frame_table_size,
		      1);
	return st ? *st : FRAME_NSTATES;
}

/*
 * No mapped frame may be free in the kernel's frame table (a use after
 * free, whatever it holds), and under page_poison none may hold its own
 * free-frame poison (FRAME_POISON of its pfn, written when it was
 * freed): that one was handed out without its clear.  Each mapping of
 * the frame is reported.  Poison of another frame is not reported
 * here: a process that read a freed frame through a stale mapping copies
 * what it read (onto its stack, say), and the frame it came from is the
 * finding.
 */
static void audit_scan_freed(struct audit *a, const struct registry *reg,
			      const struct audit_map *g, size_t n,
			      const uint64_t *words)
{
	const uint64_t own = FRAME_POISON(g->pfn);
	unsigned first = 0, count = 0;
	enum audit_kind kind;

	if (audit_kernel_state(a, reg, g->pfn) == FRAME_FREE)
		kind = AUDIT_USE_AFTER_FREE;
	else if (a->poison && strcmp(a->clear, "none"))
		kind = AUDIT_SKIPPED_CLEAR;
	else
		return;
	for (unsigned i = 0; a->poison && i < AUDIT_WORDS; i++)
		count += words[i] == own;
	if (!count && kind == AUDIT_SKIPPED_CLEAR)
		return;
	while (count && words[first] != own)
		first++;
	for (size_t j = 0; j < n; j++) {
		const struct registry_as *as = &reg->as[g[j].as];
		struct audit_key k = {
			.kind = kind, .frame = g->pfn * PAGE_SIZE,
			.pid = as->pid,
			.va = g[j].va + 8ULL * first, .offset = 8ULL * first,
		};

		if (kind == AUDIT_USE_AFTER_FREE && count)
			audit_violate(a, &k, "use after free: frame 0x%llx "
				      "mapped by pid %llu at VA 0x%llx is free "
				      "in the kernel's frame table and holds "
				      "free-frame poison (%u of its words, the "
				      "first at offset 0x%llx)", (ull_t)k.frame,
				      (ull_t)as->pid, (ull_t)g[j].va, count,
				      (ull_t)k.offset);
		else if (kind == AUDIT_USE_AFTER_FREE)
			audit_violate(a, &k, "use after free: frame 0x%llx "
				      "mapped by pid %llu at VA 0x%llx is free "
				      "in the kernel's frame table",
				      (ull_t)k.frame, (ull_t)as->pid,
				      (ull_t)g[j].va);
		else
			audit_violate(a, &k, "skipped clear: frame 0x%llx "
				      "mapped by pid %llu at VA 0x%llx still "
				      "holds the poison of its last free (%u "
				      "of its words, the first at offset "
				      "0x%llx): it was handed out without its "
				      "clear (clear=%s)", (ull_t)k.frame,
				      (ull_t)as->pid, (ull_t)g[j].va, count,
				      (ull_t)k.offset, a->clear);
	}
}

void audit_scan_frame(struct audit *a, const struct registry *reg,
		      const struct audit_map *g, size_t n)
{
	uint64_t frame = g->pfn * PAGE_SIZE;
	const uint64_t *words = gmem_ptr(&a->mem, frame, PAGE_SIZE);
	uint64_t cached = ~0ULL, pid16 = AUDIT_PID16(reg->as[g->as].pid);
	enum audit_owner who = AUDIT_OWNER_UNKNOWN;
	struct audit_own r;
	uint64_t owner;
	unsigned first;
	size_t k;

	audit_scan_freed(a, reg, g, n, words);
	for (k = 1; k < n && AUDIT_PID16(reg->as[g[k].as].pid) == pid16; k++)
		;
	/* Fast paths: no tag word but the mappers' own (nothing to check),
	 * or every tag word of one owner (checked once). */
	r = audit_own(words, pid16);
	if (!r.bad && (k == n || !r.ntags))
		return;
	if (!r.bad) {
		audit_scan_one_owner(a, reg, g, n, words, pid16, r.ntags);
		return;
	}
	first = audit_first_tag(words);
	owner = AUDIT_TAG_PID(words[first]);
	r = audit_own(words, owner);
	if (!r.bad) {
		audit_scan_one_owner(a, reg, g, n, words, owner, r.ntags);
		return;
	}

	/* Tags of several owners: word by word. */
	for (unsigned i = first; i < AUDIT_WORDS; i++) {
		uint64_t w = words[i];

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

