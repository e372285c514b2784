/*
 * audit_cache.c: the user page tables as the last audit pass saw them,
 * kept up to date from the dirty log, so that a pass costs in proportion
 * to what changed since the previous one.
 *
 * Page-table pages are guest frames like any other: nothing changes a
 * table without its frame appearing in the dirty log.  So the cache keeps
 * a node for every table a walk reached: its GPA and level, the VA it
 * covers, the rights accumulated above it, the entry it was reached
 * through, a copy of its entries as last applied and, per entry, what
 * the entry produced: a child node (a table entry) or a chain of
 * mappings, one per 4 KiB frame (a leaf entry).
 * Mappings also sit on a list per frame (a->rhead, the reverse map), so
 * all the mappings of a frame are at hand without collecting every
 * mapping of every space, and nodes on a list per table frame (a->thead).
 *
 * audit_cache_update, at each pass:
 *   1. address spaces registered since the last pass are walked whole;
 *      those destroyed, or whose root changed, are dropped whole;
 *   2. for each dirty frame, every node on it is re-read and diffed
 *      against its copy, entry by entry: an unchanged entry keeps what it
 *      produced (a subtree below is re-read only if its own frame is
 *      dirty); a changed one drops that and applies the new value (a new
 *      subtree is walked whole);
 *   3. every frame whose mappings changed is marked in a->touched, for
 *      audit_pass to regroup, recheck and, if its signature changed,
 *      rescan.
 * Nothing else is read: with nothing dirty and no address space created
 * or destroyed, a pass reads no table (a->tables_walked == 0).  Without a
 * dirty log (dirty NULL, --audit-full), when the paging mode changed, or
 * after running out of memory, the cache is rebuilt from scratch.
 *
 * What this relies on: every write to a table frame since the previous
 * pass is in the dirty log, the MMU's A/D updates included (KVM marks
 * them; audit_vm.c fetches the log at every pass and nothing else
 * consumes it), and the VMM writes no user page table itself.  A table
 * reached twice (two parents or two spaces) gets a node per path; all of
 * them are on the frame's list.
 *
 * Shared tables (fork's shared leaf tables, mm/pte.h): a table two spaces
 * reach through two different entries must be reached only through
 * read-only entries carrying PDE_SW_PTSHARED, and no entry may carry the
 * mark with RW.  Whether it holds depends only on the set of nodes on the
 * frame and the entry each was reached through, which every node keeps
 * (pe, pe_gpa).  That set changes only when a node is made (a space
 * walked, or an entry applied: a changed entry drops the node below it
 * and makes a new one) or freed (which cannot break the rule).  So the
 * frames given a node by an update, if another node was on them or the
 * entry breaks the second half, are queued (share_q), and checked once
 * the whole update is done: mid-update, another node on the frame may
 * still hold an entry its frame's diff is about to replace (fork marks
 * the parent's entry and links the child's in one interval), and would
 * be reported for a value the guest no longer has.  Spaces reaching a
 * table through the same entry (two spaces on one root, and everything
 * below a shared table) share that entry's table, not this one: the
 * rule is checked where the entries differ.  A root is reached through
 * no entry, and is not checked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/audit/audit_map.h"
#include "vmm/registry.h"

#define AUDIT_USER_SLOTS 256    /* top-level slots 0..255: the user half */

typedef unsigned long long ull_t;

struct audit_node {
	uint64_t gpa;           /* the table */
	uint64_t base;          /* first VA it covers */
	uint64_t acc;           /* rights accumulated above it */
	uint64_t pe;            /* the entry it was reached through */
	uint64_t pe_gpa;        /* where that entry lives; AUDIT_NO_ENTRY:
				   the space's root */
	uint64_t pass;          /* the pass that last read it */
	int level, as;          /* as: index in registry->as */
	uint32_t tnext;         /* next node on the same frame; free list */
	uint32_t gen;           /* bumped when the node is freed */
	uint64_t e[PT_ENTRIES]; /* the entries as last applied */
	uint32_t sub[PT_ENTRIES]; /* child node or first mapping, or NONE */
};

struct audit_space {
	uint64_t root;          /* as registered */
	uint32_t node;          /* AUDIT_NONE: root outside RAM */
	bool cached;
	bool aliased;           /* a table_alias was found in it: a change
				   to its tables re-walks it whole */
	bool stale;             /* ... and one happened: re-walk it now */
};

/* Spaces that may share one table frame (each has one node on it). */
#define AUDIT_MAX_SHARERS 256

#define AUDIT_NO_ENTRY (~0ULL)  /* pe_gpa of a root */

/* How a shared table's entry must be: read-only and marked. */
#define AUDIT_PE_SHARE_BITS (PTE_RW | PDE_SW_PTSHARED)

static void audit_touch(struct audit *a, uint64_t pfn)
{
	a->touched[pfn / 64] |= 1ULL << (pfn % 64);
}

static unsigned audit_slots(const struct audit *a, int level)
{
	return level == a->mode.levels - 1 ? AUDIT_USER_SLOTS : PT_ENTRIES;
}

/* A table walk problem, reported against address space as. */
static void audit_problem(struct audit *a, const struct registry *reg, int as,
			  enum walk_problem_kind kind, int level, uint64_t va,
			  uint64_t gpa, uint64_t entry, uint64_t bits)
{
	uint64_t pid = reg->as[as].pid;
	struct audit_key k = {
		.frame = gpa, .pid = pid, .va = va, .owner = entry,
	};

	if (kind == WALK_PROB_TABLE_ALIAS) {
		/* once per space and table, however many entries alias it */
		k = (struct audit_key){ .kind = AUDIT_TABLE_ALIAS, .pid = pid,
					.frame = bits, .va = va };
		audit_violate(a, &k, "table alias: pid %llu's %s entry 0x%llx "
			      "at GPA 0x%llx (covering VA 0x%llx) points at "
			      "table 0x%llx, which its tables already reach "
			      "(a cycle, a table mapping itself, or two entries "
			      "sharing one table); not followed", (ull_t)pid,
			      walk_level_name(level), (ull_t)entry, (ull_t)gpa,
			      (ull_t)va, (ull_t)bits);
		return;
	}
	if (kind == WALK_PROB_RESERVED) {
		k.kind = AUDIT_RESERVED;
		audit_violate(a, &k, "reserved bits: pid %llu's %s entry 0x%llx "
			      "at GPA 0x%llx (covering VA 0x%llx) has reserved "
			      "bits 0x%llx set", (ull_t)pid,
			      walk_level_name(level), (ull_t)entry, (ull_t)gpa,
			      (ull_t)va, (ull_t)bits);
		return;
	}
	k.kind = AUDIT_TABLE_OUTSIDE;
	audit_violate(a, &k, "outside RAM: pid %llu's %s entry 0x%llx at GPA "
		      "0x%llx (covering VA 0x%llx) points at %s 0x%llx, outside "
		      "guest RAM (0x%llx bytes); not followed", (ull_t)pid,
		      walk_level_name(level), (ull_t)entry, (ull_t)gpa,
		      (ull_t)va, kind == WALK_PROB_FRAME_OUTSIDE_RAM ? "frame" :
		      "table", (ull_t)bits, (ull_t)a->mem.size);
}

/* The cache is full (AUDIT_MAX_NODES or AUDIT_MAX_MAPS): what entry
 * (at gpa, covering va) of space as leads to is not walked. */
static void audit_over_bound(struct audit *a, const struct registry *reg,
			     int as, int level, uint64_t va, uint64_t gpa,
			     uint64_t entry, bool tables)
{
	/* one report per space and kind of bound: frame 0 in the key */
	struct audit_key k = {
		.kind = AUDIT_BUDGET, .pid = reg->as[as].pid, .owner = tables,
		.va = va,
	};

	audit_violate(a, &k, "audit bound: pid %llu's %s entry 0x%llx at GPA "
		      "0x%llx (covering VA 0x%llx) leads past the auditor's "
		      "bound of %llu %s for 0x%llx bytes of guest RAM; not "
		      "walked", (ull_t)reg->as[as].pid, walk_level_name(level),
		      (ull_t)entry, (ull_t)gpa, (ull_t)va,
		      (ull_t)(tables ? AUDIT_MAX_NODES(a->nframes) :
			      AUDIT_MAX_MAPS(a->nframes)),
		      tables ? "cached tables" : "mappings",
		      (ull_t)a->mem.size);
}

/* Table entry pe announces a shared table (PDE_SW_PTSHARED) but leaves
 * it writable. */
static bool audit_pe_marked_rw(uint64_t pe)
{
	return (pe & AUDIT_PE_SHARE_BITS) == AUDIT_PE_SHARE_BITS;
}

/* Node n's entry breaks the sharing rule: other (NULL if no other space
 * reaches n's table through another entry) is a sharer to name. */
static void audit_shared_report(struct audit *a, const struct registry *reg,
				const struct audit_node *n,
				const struct audit_node *other)
{
	uint64_t pid = reg->as[n->as].pid;
	const char *level = walk_level_name(n->level + 1);
	struct audit_key k = {
		.kind = AUDIT_TABLE_SHARED, .frame = n->gpa, .pid = pid,
		.owner = other ? reg->as[other->as].pid : 0, .va = n->base,
	};

	if (!other) {
		audit_violate(a, &k, "table shared: pid %llu's %s entry 0x%llx "
			      "at GPA 0x%llx (covering VA 0x%llx) points at "
			      "table 0x%llx and carries PDE_SW_PTSHARED but is "
			      "writable (a shared table is reached only "
			      "through read-only entries)", (ull_t)pid, level,
			      (ull_t)n->pe, (ull_t)n->pe_gpa, (ull_t)n->base,
			      (ull_t)n->gpa);
		return;
	}
	audit_violate(a, &k, "table shared: pid %llu's %s entry 0x%llx at GPA "
		      "0x%llx (covering VA 0x%llx) points at table 0x%llx, "
		      "which pid %llu's tables also reach, and is %s (a shared "
		      "table is reached only through read-only entries "
		      "carrying PDE_SW_PTSHARED)", (ull_t)pid, level,
		      (ull_t)n->pe, (ull_t)n->pe_gpa, (ull_t)n->base,
		      (ull_t)n->gpa, (ull_t)k.owner,
		      !(n->pe & PTE_RW) ? "not marked PDE_SW_PTSHARED" :
		      n->pe & PDE_SW_PTSHARED ? "writable" :
		      "writable and not marked PDE_SW_PTSHARED");
}

/*
 * The sharing rule over the nodes on table frame f now (at most
 * AUDIT_MAX_SHARERS, one per space).  Each node's sharer, if any, is a
 * node reached through another entry: r1, the first node, or else r2,
 * the first reached through an entry other than r1's.
 */
static void audit_shared_check(struct audit *a, const struct registry *reg,
			       uint64_t f)
{
	const struct audit_node *r1 = NULL, *r2 = NULL;

	for (uint32_t id = a->thead[f]; id != AUDIT_NONE && !r2;
	     id = a->node[id]->tnext) {
		const struct audit_node *n = a->node[id];

		if (!r1)
			r1 = n;
		else if (n->pe_gpa != r1->pe_gpa)
			r2 = n;
	}
	for (uint32_t id = a->thead[f]; id != AUDIT_NONE;
	     id = a->node[id]->tnext) {
		const struct audit_node *n = a->node[id];
		const struct audit_node *other = n->pe_gpa != r1->pe_gpa ? r1 :
						 r2;

		if (n->pe_gpa == AUDIT_NO_ENTRY)
			continue;
		if (other ? (n->pe & AUDIT_PE_SHARE_BITS) != PDE_SW_PTSHARED :
			    audit_pe_marked_rw(n->pe))
			audit_shared_report(a, reg, n, other);
	}
}

/* Queue table frame f for audit_shared_check at the end of the update
 * (once).  0 or -ENOMEM. */
static int audit_shared_queue(struct audit *a, uint64_t f)
{
	uint64_t bit = 1ULL << (f % 64);

	if (a->share_mark[f / 64] & bit)
		return 0;
	if (a->nshare_q == a->capshare_q) {
		size_t ncap = a->capshare_q ? a->capshare_q * 2 : 64;
		uint64_t *p = realloc(a->share_q, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		a->share_q = p;
		a->capshare_q = ncap;
	}
	a->share_mark[f / 64] |= bit;
	a->share_q[a->nshare_q++] = f;
	return 0;
}

/* May space as walk the table at gpa?  AUDIT_REACH_OK, or _ALIAS when
 * the space already has a node on it, or _FULL when AUDIT_MAX_SHARERS
 * spaces have (the frame's node list stays short) or the cache holds
 * AUDIT_MAX_NODES tables. */
enum { AUDIT_REACH_OK, AUDIT_REACH_ALIAS, AUDIT_REACH_FULL };

static int audit_reach(const struct audit *a, int as, uint64_t gpa)
{
	unsigned n = 0;

	for (uint32_t id = a->thead[gpa / PAGE_SIZE]; id != AUDIT_NONE;
	     id = a->node[id]->tnext) {
		if (a->node[id]->as == as)
			return AUDIT_REACH_ALIAS;
		if (++n >= AUDIT_MAX_SHARERS)
			return AUDIT_REACH_FULL;
	}
	return a->live_nodes >= AUDIT_MAX_NODES(a->nframes) ?
	       AUDIT_REACH_FULL : AUDIT_REACH_OK;
}

static uint32_t audit_rec_alloc(struct audit *a)
{
	if (a->freerec != AUDIT_NONE) {
		uint32_t id = a->freerec;

		a->freerec = a->rec[id].next;
		return id;
	}
	if (a->nrec == a->caprec) {
		uint32_t ncap = a->caprec ? a->caprec * 2 : 4096;
		struct audit_map *p = realloc(a->rec, ncap * sizeof(*p));

		if (!p || ncap == AUDIT_NONE)
			return AUDIT_NONE;
		a->rec = p;
		a->caprec = ncap;
	}
	return a->nrec++;
}

/* Add the mapping of frame pfn at va to its frame's list; sib is the next
 * frame of the same leaf.  Returns its id, or AUDIT_NONE (no memory). */
static uint32_t audit_map_add(struct audit *a, int as, uint64_t pfn,
			      uint64_t va, uint64_t pte, uint64_t eff,
			      uint32_t sib)
{
	uint32_t id = audit_rec_alloc(a);
	struct audit_map *m;

	if (id == AUDIT_NONE)
		return AUDIT_NONE;
	m = &a->rec[id];
	*m = (struct audit_map){
		.pfn = pfn, .va = va, .pte = pte, .eff = eff, .as = as,
		.next = a->rhead[pfn], .prev = AUDIT_NONE, .sib = sib,
	};
	if (m->next != AUDIT_NONE)
		a->rec[m->next].prev = id;
	else
		a->frames_mapped++;
	a->rhead[pfn] = id;
	a->mappings++;
	audit_touch(a, pfn);
	return id;
}

static void audit_map_del(struct audit *a, uint32_t id)
{
	struct audit_map *m = &a->rec[id];

	if (m->prev != AUDIT_NONE)
		a->rec[m->prev].next = m->next;
	else
		a->rhead[m->pfn] = m->next;
	if (m->next != AUDIT_NONE)
		a->rec[m->next].prev = m->prev;
	if (a->rhead[m->pfn] == AUDIT_NONE)
		a->frames_mapped--;
	a->mappings--;
	audit_touch(a, m->pfn);
	m->next = a->freerec;
	a->freerec = id;
}

static uint32_t audit_node_alloc(struct audit *a)
{
	struct audit_node *n;

	if (a->freenode != AUDIT_NONE) {
		uint32_t id = a->freenode;

		a->freenode = a->node[id]->tnext;
		return id;
	}
	if (a->nnode == a->capnode) {
		uint32_t ncap = a->capnode ? a->capnode * 2 : 64;
		struct audit_node **p = realloc(a->node, ncap * sizeof(*p));

		if (!p)
			return AUDIT_NONE;
		a->node = p;
		a->capnode = ncap;
	}
	n = malloc(sizeof(*n));
	if (!n)
		return AUDIT_NONE;
	n->gen = 0;
	a->node[a->nnode] = n;
	return a->nnode++;
}

static bool audit_is_leaf(int level, uint64_t e)
{
	return level == 0 || (e & PTE_PS);
}

static void audit_node_free(struct audit *a, uint32_t id);

/* Undo what entry i of node id produced. */
static void audit_entry_drop(struct audit *a, uint32_t id, unsigned i)
{
	struct audit_node *n = a->node[id];
	uint32_t s = n->sub[i];

	n->sub[i] = AUDIT_NONE;
	if (s == AUDIT_NONE)
		return;
	if (!audit_is_leaf(n->level, n->e[i])) {
		audit_node_free(a, s);
		return;
	}
	while (s != AUDIT_NONE) {
		uint32_t next = a->rec[s].sib;

		audit_map_del(a, s);
		s = next;
	}
}

/* Drop node id, everything below it, and its place on its frame's list. */
static void audit_node_free(struct audit *a, uint32_t id)
{
	struct audit_node *n = a->node[id];
	uint32_t *p = &a->thead[n->gpa / PAGE_SIZE];

	for (unsigned i = 0; i < audit_slots(a, n->level); i++)
		audit_entry_drop(a, id, i);
	while (*p != id)
		p = &a->node[*p]->tnext;
	*p = n->tnext;
	n->gen++;
	n->tnext = a->freenode;
	a->freenode = id;
	a->live_nodes--;
}

static uint32_t audit_node_build(struct audit *a, const struct registry *reg,
				 int as, uint64_t gpa, int level,
				 uint64_t base, uint64_t acc, uint64_t pe,
				 uint64_t pe_gpa);

/*
 * Apply entry value e to slot i of node id, as walk_user would visit it:
 * report a problem, add a leaf's mappings, or build the table below.
 * Returns 0 or -ENOMEM.
 */
static int audit_entry_apply(struct audit *a, const struct registry *reg,
			     uint32_t id, unsigned i, uint64_t e)
{
	struct audit_node *n = a->node[id];
	int level = n->level;
	uint64_t va = n->base | (uint64_t)i << PT_SHIFT(level);
	uint64_t gpa = n->gpa + 8ULL * i, rsvd, acc;
	uint32_t s;

	n->e[i] = e;
	n->sub[i] = AUDIT_NONE;
	if (!(e & PTE_P))
		return 0;
	rsvd = walk_reserved(&a->mode, level, e);
	if (rsvd) {
		audit_problem(a, reg, n->as, WALK_PROB_RESERVED, level, va, gpa,
			      e, rsvd);
		return 0;
	}
	acc = walk_accumulate(n->acc, e);
	if (audit_is_leaf(level, e)) {
		uint64_t pa = walk_leaf_base(e, level);
		uint64_t size = PT_LEVEL_SIZE(level), off = size;
		uint64_t eff = (e & ~(PTE_ADDR_MASK | PTE_RW | PTE_US |
				      PTE_NX)) | acc;

		if (!gmem_ptr(&a->mem, pa, size)) {
			audit_problem(a, reg, n->as, WALK_PROB_FRAME_OUTSIDE_RAM,
				      level, va, gpa, e, pa);
			return 0;
		}
		if (a->mappings + size / PAGE_SIZE > AUDIT_MAX_MAPS(a->nframes)) {
			audit_over_bound(a, reg, n->as, level, va, gpa, e, false);
			return 0;
		}
		s = AUDIT_NONE;
		while (off) {           /* backwards: the chain in VA order */
			off -= PAGE_SIZE;
			s = audit_map_add(a, n->as, (pa + off) / PAGE_SIZE,
					  va + off, e, eff, s);
			if (s == AUDIT_NONE)
				return -ENOMEM;
		}
		n->sub[i] = s;
		return 0;
	}
	if (!gmem_ptr(&a->mem, e & PTE_ADDR_MASK, PAGE_SIZE)) {
		audit_problem(a, reg, n->as, WALK_PROB_TABLE_OUTSIDE_RAM, level,
			      va, gpa, e, e & PTE_ADDR_MASK);
		return 0;
	}
	switch (audit_reach(a, n->as, e & PTE_ADDR_MASK)) {
	case AUDIT_REACH_ALIAS:
		audit_problem(a, reg, n->as, WALK_PROB_TABLE_ALIAS, level, va,
			      gpa, e, e & PTE_ADDR_MASK);
		a->space[n->as].aliased = true;
		return 0;
	case AUDIT_REACH_FULL:
		audit_over_bound(a, reg, n->as, level, va, gpa, e, true);
		return 0;
	}
	s = audit_node_build(a, reg, n->as, e & PTE_ADDR_MASK, level - 1, va,
			     acc, e, gpa);
	if (s == AUDIT_NONE)
		return -ENOMEM;
	a->node[id]->sub[i] = s;
	return 0;
}

/* Walk the table at gpa (in RAM), reached through entry pe at pe_gpa
 * (AUDIT_NO_ENTRY: the root), into a new node.  Returns its id, or
 * AUDIT_NONE when out of memory. */
static uint32_t audit_node_build(struct audit *a, const struct registry *reg,
				 int as, uint64_t gpa, int level,
				 uint64_t base, uint64_t acc, uint64_t pe,
				 uint64_t pe_gpa)
{
	const uint64_t *t = gmem_ptr(&a->mem, gpa, PAGE_SIZE);
	uint32_t id = audit_node_alloc(a);
	struct audit_node *n;
	unsigned slots = audit_slots(a, level);

	if (id == AUDIT_NONE)
		return AUDIT_NONE;
	n = a->node[id];
	n->gpa = gpa;
	n->base = base;
	n->acc = acc;
	n->pe = pe;
	n->pe_gpa = pe_gpa;
	n->pass = a->passes;
	n->level = level;
	n->as = as;
	/* a table alone on its frame with a well-formed entry is legal
	 * whatever happens to its sharers: nothing to queue (the usual
	 * case, and the one the cost of a rebuild is made of) */
	if ((a->thead[gpa / PAGE_SIZE] != AUDIT_NONE ||
	     audit_pe_marked_rw(pe)) &&
	    audit_shared_queue(a, gpa / PAGE_SIZE) < 0)
		return AUDIT_NONE;
	n->tnext = a->thead[gpa / PAGE_SIZE];
	a->thead[gpa / PAGE_SIZE] = id;
	a->tables_walked++;
	a->live_nodes++;
	for (unsigned i = 0; i < slots; i++) {
		n->e[i] = t[i];
		n->sub[i] = AUDIT_NONE;
	}
	for (unsigned i = 0; i < slots; i++)
		if ((t[i] & PTE_P) && audit_entry_apply(a, reg, id, i, t[i]) < 0)
			return AUDIT_NONE;
	return id;
}

/* Re-read node id's table and apply the entries that changed. */
static int audit_node_rediff(struct audit *a, const struct registry *reg,
			     uint32_t id)
{
	struct audit_node *n = a->node[id];
	const uint64_t *t = gmem_ptr(&a->mem, n->gpa, PAGE_SIZE);

	n->pass = a->passes;
	a->tables_walked++;
	for (unsigned i = 0; i < audit_slots(a, n->level); i++) {
		uint64_t e = t[i];

		if (e == n->e[i])
			continue;
		audit_entry_drop(a, id, i);
		if (audit_entry_apply(a, reg, id, i, e) < 0)
			return -ENOMEM;
	}
	return 0;
}

int audit_cache_init(struct audit *a)
{
	uint64_t words = (a->nframes + 63) / 64 + 1;

	a->rhead = malloc((a->nframes + 1) * sizeof(*a->rhead));
	a->thead = malloc((a->nframes + 1) * sizeof(*a->thead));
	a->touched = calloc(words, sizeof(*a->touched));
	a->share_mark = calloc(words, sizeof(*a->share_mark));
	if (!a->rhead || !a->thead || !a->touched || !a->share_mark)
		return -ENOMEM;
	audit_cache_reset(a);
	return 0;
}

void audit_cache_reset(struct audit *a)
{
	memset(a->rhead, 0xff, a->nframes * sizeof(*a->rhead));
	memset(a->thead, 0xff, a->nframes * sizeof(*a->thead));
	for (size_t i = 0; i < a->nshare_q; i++)
		a->share_mark[a->share_q[i] / 64] = 0;
	a->nshare_q = 0;
	a->nrec = 0;
	a->freerec = AUDIT_NONE;
	a->freenode = AUDIT_NONE;
	for (uint32_t id = a->nnode; id-- > 0;) {
		a->node[id]->gen++;
		a->node[id]->tnext = a->freenode;
		a->freenode = id;
	}
	for (int i = 0; i < a->nspace; i++)
		a->space[i] = (struct audit_space){ .node = AUDIT_NONE };
	a->mappings = a->frames_mapped = 0;
	a->live_nodes = 0;
	a->cached_mode = a->mode;
	a->rebuild = true;
}

void audit_cache_free(struct audit *a)
{
	for (uint32_t id = 0; id < a->nnode; id++)
		free(a->node[id]);
	AUDIT_FREE(a->node);
	AUDIT_FREE(a->rec);
	AUDIT_FREE(a->space);
	AUDIT_FREE(a->rhead);
	AUDIT_FREE(a->thead);
	AUDIT_FREE(a->touched);
	AUDIT_FREE(a->chain);
	AUDIT_FREE(a->share_mark);
	AUDIT_FREE(a->share_q);
	a->nshare_q = a->capshare_q = 0;
	a->nnode = a->capnode = a->nrec = a->caprec = 0;
	a->nspace = a->capspace = 0;
}

/* Step 1: walk the spaces registered since, drop the ones gone. */
static int audit_cache_spaces(struct audit *a, const struct registry *reg)
{
	if (reg->nas > a->capspace) {
		int ncap = reg->nas * 2;
		struct audit_space *p = realloc(a->space, (size_t)ncap *
						sizeof(*p));

		if (!p)
			return -ENOMEM;
		a->space = p;
		a->capspace = ncap;
	}
	for (int i = a->nspace; i < reg->nas; i++)
		a->space[i] = (struct audit_space){ .node = AUDIT_NONE };
	if (reg->nas > a->nspace)
		a->nspace = reg->nas;

	for (int i = 0; i < a->nspace; i++) {
		struct audit_space *sp = &a->space[i];
		bool want = i < reg->nas && reg->as[i].alive;
		uint64_t root;

		if (sp->cached && (!want || sp->root != reg->as[i].root)) {
			if (sp->node != AUDIT_NONE)
				audit_node_free(a, sp->node);
			sp->cached = false;
			sp->node = AUDIT_NONE;
		}
		if (!want || sp->cached)
			continue;
		sp->root = reg->as[i].root;
		sp->cached = true;
		root = sp->root & PTE_ADDR_MASK;
		if (!gmem_ptr(&a->mem, root, PAGE_SIZE)) {
			audit_problem(a, reg, i, WALK_PROB_ROOT_OUTSIDE_RAM,
				      a->mode.levels - 1, 0, root, 0, root);
			continue;
		}
		if (audit_reach(a, i, root) != AUDIT_REACH_OK) {
			audit_over_bound(a, reg, i, a->mode.levels - 1, 0, root,
					 root, true);
			continue;
		}
		sp->node = audit_node_build(a, reg, i, root, a->mode.levels - 1,
					    0, PTE_RW | PTE_US, 0,
					    AUDIT_NO_ENTRY);
		if (sp->node == AUDIT_NONE)
			return -ENOMEM;
	}
	return 0;
}

/* Step 2: re-read the tables on frame f. */
static int audit_cache_frame(struct audit *a, const struct registry *reg,
			     uint64_t f)
{
	size_t n = 0;

	for (uint32_t id = a->thead[f]; id != AUDIT_NONE;
	     id = a->node[id]->tnext) {
		if (n + 2 > a->capchain) {
			size_t ncap = a->capchain ? a->capchain * 2 : 64;
			uint32_t *p = realloc(a->chain, ncap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			a->chain = p;
			a->capchain = ncap;
		}
		a->chain[n++] = id;
		a->chain[n++] = a->node[id]->gen;
	}
	/* A rediff may free nodes of this list (a table below its own
	 * parent): the generation tells. */
	for (size_t i = 0; i < n; i += 2) {
		const struct audit_node *node = a->node[a->chain[i]];

		if (node->gen != a->chain[i + 1] || node->pass == a->passes)
			continue;
		/* where an alias was left unfollowed, a diff could leave
		 * the cache short of a full walk: re-walk that space */
		if (a->space[node->as].aliased) {
			a->space[node->as].stale = true;
			continue;
		}
		if (audit_node_rediff(a, reg, a->chain[i]) < 0)
			return -ENOMEM;
	}
	return 0;
}

int audit_cache_update(struct audit *a, const struct registry *reg,
		       const uint64_t *dirty)
{
	uint64_t words = (a->nframes + 63) / 64;
	bool again = false;
	int rebuilt = 0;

	if (a->mode.levels != a->cached_mode.levels ||
	    a->mode.maxphyaddr != a->cached_mode.maxphyaddr ||
	    a->mode.nxe != a->cached_mode.nxe ||
	    a->mode.gbpages != a->cached_mode.gbpages)
		dirty = NULL;
	if (!dirty || a->rebuild) {
		audit_cache_reset(a);
		memset(a->touched, 0xff, words * sizeof(*a->touched));
		dirty = NULL;
		rebuilt = 1;
	}
	a->rebuild = true;              /* until this update completes */
	if (audit_cache_spaces(a, reg) < 0)
		return -ENOMEM;
	for (uint64_t w = 0; dirty && w < words; w++) {
		for (uint64_t bits = dirty[w]; bits; bits &= bits - 1) {
			uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(bits);

			if (f < a->nframes && a->thead[f] != AUDIT_NONE &&
			    audit_cache_frame(a, reg, f) < 0)
				return -ENOMEM;
		}
	}
	for (int i = 0; i < a->nspace; i++) {
		struct audit_space *sp = &a->space[i];

		if (!sp->stale)
			continue;
		if (sp->node != AUDIT_NONE)
			audit_node_free(a, sp->node);
		*sp = (struct audit_space){ .node = AUDIT_NONE };
		again = true;
	}
	if (again && audit_cache_spaces(a, reg) < 0)
		return -ENOMEM;
	/* the tables as they are now: check the sharing rule where a node
	 * was made */
	for (size_t i = 0; i < a->nshare_q; i++) {
		uint64_t f = a->share_q[i];

		a->share_mark[f / 64] &= ~(1ULL << (f % 64));
		audit_shared_check(a, reg, f);
	}
	a->nshare_q = 0;
	a->rebuild = false;
	return rebuilt;
}

/* Sample up to max leaf VAs of space as by random descents. */
int audit_sample(const struct audit *a, int as, uint64_t seed, uint64_t *va,
		 int max)
{
	uint64_t rng = seed | 1;
	int got = 0;

	if (as >= a->nspace || !a->space[as].cached ||
	    a->space[as].node == AUDIT_NONE)
		return 0;
	for (int tries = 0; tries < 4 * max && got < max; tries++) {
		uint32_t id = a->space[as].node;

		for (;;) {
			const struct audit_node *n = a->node[id];
			unsigned slots = audit_slots(a, n->level), j, k;
			uint64_t v;

			rng = rng * 6364136223846793005ULL +
			      1442695040888963407ULL;
			j = (unsigned)(rng >> 33) % slots;
			for (k = 0; k < slots && n->sub[(j + k) % slots] ==
						 AUDIT_NONE; k++)
				;
			if (k == slots)
				break;
			j = (j + k) % slots;
			if (!audit_is_leaf(n->level, n->e[j])) {
				id = n->sub[j];
				continue;
			}
			v = a->rec[n->sub[j]].va;
			for (k = 0; k < (unsigned)got && va[k] != v; k++)
				;
			if (k == (unsigned)got)
				va[got++] = v;
			break;
		}
	}
	return got;
}
