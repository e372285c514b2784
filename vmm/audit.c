/*
 * audit.c: one audit pass: collect every user mapping of every live
 * address space, group them by frame, check the zero page and sharing
 * invariants on the groups and scan frame contents for provenance tags.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/pte.h"
#include "vmm/audit.h"
#include "vmm/audit_map.h"
#include "vmm/registry.h"

#define AUDIT_WORDS          (PAGE_SIZE / 8)

typedef unsigned long long ull_t;


/* Walk callbacks get the audit and which address space is walked. */
struct audit_walk {
	struct audit *a;
	const struct registry *reg;
	int as;
	int err;
};

static uint64_t audit_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int audit_init(struct audit *a, const struct gmem *mem,
	       const struct walk_mode *mode, enum audit_mode level,
	       const char *clear)
{
	memset(a, 0, sizeof(*a));
	a->mem = *mem;
	a->mode = *mode;
	a->level = level;
	a->out = stderr;
	snprintf(a->clear, sizeof(a->clear), "%s", clear ? clear : "fault");
	a->nframes = mem->size / PAGE_SIZE;
	a->sig = calloc(a->nframes ? a->nframes : 1, sizeof(*a->sig));
	a->sig_new = calloc(a->nframes ? a->nframes : 1, sizeof(*a->sig_new));
	a->count = calloc(a->nframes + 1, sizeof(*a->count));
	if (!a->sig || !a->sig_new || !a->count) {
		audit_free(a);
		return -ENOMEM;
	}
	return 0;
}

void audit_free(struct audit *a)
{
	free(a->sig);
	free(a->sig_new);
	free(a->map);
	free(a->sorted);
	free(a->count);
	free(a->v);
	free(a->cr3);
	a->sig = a->sig_new = NULL;
	a->map = a->sorted = NULL;
	a->count = NULL;
	a->v = NULL;
	a->cr3 = NULL;
}

static int audit_push_map(struct audit *a, const struct audit_map *m)
{
	if (a->nmap == a->capmap) {
		size_t ncap = a->capmap ? a->capmap * 2 : 4096;
		struct audit_map *p = realloc(a->map, ncap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		a->map = p;
		a->capmap = ncap;
	}
	a->map[a->nmap++] = *m;
	return 0;
}

/* A leaf: one mapping per 4 KiB frame it covers. */
static int audit_leaf(void *arg, const struct walk_leaf *l)
{
	struct audit_walk *w = arg;

	for (uint64_t off = 0; off < l->size; off += PAGE_SIZE) {
		struct audit_map m = {
			.pfn = (l->pa + off) / PAGE_SIZE, .va = l->va + off,
			.pte = l->pte, .eff = l->eff, .as = w->as,
		};

		if (audit_push_map(w->a, &m) < 0)
			return w->err = -ENOMEM;
	}
	return 0;
}

static void audit_walk_problem(void *arg, const struct walk_problem *p)
{
	struct audit_walk *w = arg;
	const struct registry_as *as = &w->reg->as[w->as];
	struct audit_key k = {
		.frame = p->entry_gpa, .pid = as->pid, .va = p->va,
		.owner = p->entry,
	};

	if (p->kind == WALK_PROB_RESERVED) {
		k.kind = AUDIT_RESERVED;
		audit_violate(w->a, &k, "reserved bits: pid %llu's %s entry "
			      "0x%llx at GPA 0x%llx (covering VA 0x%llx) has "
			      "reserved bits 0x%llx set", (ull_t)as->pid,
			      walk_level_name(p->level), (ull_t)p->entry,
			      (ull_t)p->entry_gpa, (ull_t)p->va,
			      (ull_t)p->bits);
		return;
	}
	k.kind = AUDIT_TABLE_OUTSIDE;
	audit_violate(w->a, &k, "outside RAM: pid %llu's %s entry 0x%llx at "
		      "GPA 0x%llx (covering VA 0x%llx) points at %s 0x%llx, "
		      "outside guest RAM (0x%llx bytes); not followed",
		      (ull_t)as->pid, walk_level_name(p->level),
		      (ull_t)p->entry, (ull_t)p->entry_gpa, (ull_t)p->va,
		      p->kind == WALK_PROB_FRAME_OUTSIDE_RAM ? "frame" :
		      "table", (ull_t)p->bits, (ull_t)w->a->mem.size);
}

/*
 * Order a->map by frame, stably (within a frame: address space, then VA,
 * the order the walks produced): a counting sort over the frame numbers,
 * linear where qsort was the pass's biggest fixed cost.
 */
static int audit_sort(struct audit *a)
{
	struct audit_map *out;
	uint32_t *start = a->count;

	if (a->nmap > a->capsorted) {
		out = realloc(a->sorted, a->nmap * sizeof(*out));
		if (!out)
			return -ENOMEM;
		a->sorted = out;
		a->capsorted = a->nmap;
	}
	memset(start, 0, (a->nframes + 1) * sizeof(*start));
	for (size_t i = 0; i < a->nmap; i++)
		start[a->map[i].pfn + 1]++;
	for (uint64_t f = 0; f < a->nframes; f++)
		start[f + 1] += start[f];
	for (size_t i = 0; i < a->nmap; i++)
		a->sorted[start[a->map[i].pfn]++] = a->map[i];
	out = a->map;
	a->map = a->sorted;
	a->sorted = out;
	size_t cap = a->capmap;
	a->capmap = a->capsorted;
	a->capsorted = cap;
	return 0;
}

/* Collect the mappings of every live address space into a->map, sorted
 * by frame.  Returns 0 or -ENOMEM. */
static int audit_collect(struct audit *a, const struct registry *reg)
{
	a->nmap = 0;
	for (int i = 0; i < reg->nas; i++) {
		struct audit_walk w = { .a = a, .reg = reg, .as = i };
		struct walk_visitor v = {
			.leaf = audit_leaf, .problem = audit_walk_problem,
			.arg = &w,
		};

		if (!reg->as[i].alive)
			continue;
		walk_user(&a->mem, &a->mode, reg->as[i].root, &v);
		if (w.err)
			return w.err;
	}
	return audit_sort(a);
}

/* A well-mixed, never-zero summary of a frame's mappings. */
static uint64_t audit_sig(const struct registry *reg,
			  const struct audit_map *g, size_t n)
{
	uint64_t s = 0;

	for (size_t i = 0; i < n; i++) {
		uint64_t h = reg->as[g[i].as].pid * 0x9e3779b97f4a7c15ULL ^
			     g[i].va ^ (g[i].eff & (PTE_RW | PTE_US)) << 1 ^
			     (g[i].pte & PTE_SW_SHARED);

		h ^= h >> 29;
		h *= 0xbf58476d1ce4e5b9ULL;
		s += h ^ (h >> 32);
	}
	return s | 1;
}

/* Zero page: no writable mapping (every group member is checked). */
static void audit_zero_mappings(struct audit *a, const struct registry *reg,
				const struct audit_map *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t pid = reg->as[g[i].as].pid;
		struct audit_key k = {
			.kind = AUDIT_ZERO_WRITABLE, .frame = g[i].pfn * PAGE_SIZE,
			.pid = pid, .va = g[i].va,
		};

		if (!(g[i].eff & PTE_RW))
			continue;
		audit_violate(a, &k, "zero page writable: frame 0x%llx (the "
			      "zero page) is mapped writable by pid %llu at VA "
			      "0x%llx (PTE 0x%llx)", (ull_t)k.frame,
			      (ull_t)pid, (ull_t)g[i].va, (ull_t)g[i].pte);
	}
}

/* Sharing: a frame mapped more than once is read-only everywhere unless
 * every mapping is a shared mapping. */
static void audit_sharing(struct audit *a, const struct registry *reg,
			  const struct audit_map *g, size_t n)
{
	const struct audit_map *w = NULL, *other = NULL;
	bool all_shared = true;

	for (size_t i = 0; i < n; i++) {
		if ((g[i].eff & PTE_RW) && !w)
			w = &g[i];
		if (!(g[i].pte & PTE_SW_SHARED))
			all_shared = false;
	}
	if (n < 2 || !w || all_shared)
		return;
	other = w == &g[0] ? &g[1] : &g[0];

	struct audit_key k = {
		.kind = AUDIT_SHARED_WRITABLE, .frame = g->pfn * PAGE_SIZE,
		.pid = reg->as[w->as].pid, .owner = reg->as[other->as].pid,
		.va = w->va,
	};
	audit_violate(a, &k, "writable shared frame: frame 0x%llx is mapped "
		      "%zu times; pid %llu maps it writable at VA 0x%llx (PTE "
		      "0x%llx) and pid %llu at VA 0x%llx (PTE 0x%llx, %s), "
		      "and not every mapping carries PTE_SW_SHARED",
		      (ull_t)k.frame, n, (ull_t)k.pid, (ull_t)w->va,
		      (ull_t)w->pte, (ull_t)k.owner, (ull_t)other->va,
		      (ull_t)other->pte,
		      other->eff & PTE_RW ? "writable" : "read-only");
}

/* The zero page's content: all zeros. */
static void audit_zero_content(struct audit *a, const struct registry *reg)
{
	const uint64_t *words = gmem_ptr(&a->mem, reg->zero_page, PAGE_SIZE);
	struct audit_key k = { .kind = AUDIT_ZERO_DIRTY,
			       .frame = reg->zero_page };

	if (!reg->has_zero_page || !words)
		return;
	for (unsigned i = 0; i < AUDIT_WORDS; i++) {
		if (!words[i])
			continue;
		k.offset = 8ULL * i;
		audit_violate(a, &k, "zero page dirty: frame 0x%llx (the zero "
			      "page) holds 0x%016llx at offset 0x%llx",
			      (ull_t)reg->zero_page, (ull_t)words[i],
			      (ull_t)k.offset);
		return;
	}
}

static bool audit_bit(const uint64_t *bits, uint64_t n)
{
	return bits[n / 64] >> (n % 64) & 1;
}

int audit_pass(struct audit *a, const struct registry *reg, const char *where,
	       const uint64_t *dirty)
{
	uint64_t before = a->nviolations, t0 = audit_now_ns(), t1, scanned = 0;
	uint64_t zero_pfn = reg->has_zero_page ? reg->zero_page / PAGE_SIZE :
						 ~0ULL;
	uint64_t *swap;
	size_t i, j;

	snprintf(a->where, sizeof(a->where), "%s", where);
	a->passes++;
	if (audit_collect(a, reg) < 0) {
		if (a->out)
			fprintf(a->out, "vmm: audit: out of memory at %s\n",
				where);
		return 0;
	}
	memset(a->sig_new, 0, a->nframes * sizeof(*a->sig_new));
	a->mappings = a->nmap;
	a->frames_mapped = 0;

	t1 = audit_now_ns();
	for (i = 0; i < a->nmap; i = j) {
		const struct audit_map *g = &a->map[i];
		uint64_t pfn = g->pfn, s;
		size_t n;

		for (j = i + 1; j < a->nmap && a->map[j].pfn == pfn; j++)
			;
		n = j - i;
		a->frames_mapped++;
		s = audit_sig(reg, g, n);
		a->sig_new[pfn] = s;
		if (pfn == zero_pfn) {
			audit_zero_mappings(a, reg, g, n);
			continue;
		}
		audit_sharing(a, reg, g, n);
		if (a->full || !dirty || audit_bit(dirty, pfn) ||
		    a->sig[pfn] != s) {
			audit_scan_frame(a, reg, g, n);
			scanned++;
		}
	}
	audit_zero_content(a, reg);
	a->scan_ns += audit_now_ns() - t1;

	swap = a->sig;
	a->sig = a->sig_new;
	a->sig_new = swap;
	a->frames_scanned += scanned;
	a->last_scanned = scanned;
	a->last_ns = audit_now_ns() - t0;
	a->pass_ns += a->last_ns;
	return (int)(a->nviolations - before);
}

/* The last value the guest reported for key. */
static bool audit_report_value(const struct registry *reg, const char *key,
			       uint64_t *value)
{
	for (int i = reg->nreports - 1; i >= 0; i--) {
		if (strcmp(reg->reports[i].key, key) == 0) {
			*value = reg->reports[i].value;
			return true;
		}
	}
	return false;
}

int audit_leak(struct audit *a, const struct registry *reg, const char **why)
{
	uint64_t start, end;
	struct audit_key k = { .kind = AUDIT_LEAK };

	for (int i = 0; i < reg->nas; i++) {
		if (reg->as[i].alive) {
			if (why)
				*why = "address spaces still live";
			return 0;
		}
	}
	if (!audit_report_value(reg, "frames_free_start", &start) ||
	    !audit_report_value(reg, "frames_free_exit", &end)) {
		if (why)
			*why = "the kernel reported no frame counts";
		return 0;
	}
	if (start == end)
		return 0;
	k.frame = start;
	k.offset = end;
	audit_violate(a, &k, "leak: %lld frames not back on the free lists at "
		      "VM exit (frames_free_start=%llu, frames_free_exit=%llu) "
		      "with every address space destroyed",
		      (long long)(start - end), (ull_t)start, (ull_t)end);
	return 1;
}
