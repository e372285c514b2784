/*
 * audit.c: one audit pass: bring the cache of the user page tables up to
 * date (audit_cache.c), then, for every frame whose mappings changed or
 * which was written, group its mappings, check the zero page and sharing
 * invariants on the group and scan the frame's content for provenance
 * tags.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mm/frame.h"          /* FRAME_FILE: the kernel's states */
#include "mm/pte.h"
#include "vmm/audit/audit.h"
#include "vmm/audit/audit_map.h"
#include "vmm/registry.h"

#define AUDIT_WORDS          (PAGE_SIZE / 8)

typedef unsigned long long ull_t;


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
	a->zero_pfn = ~0ULL;
	a->sig = calloc(a->nframes ? a->nframes : 1, sizeof(*a->sig));
	if (!a->sig || audit_cache_init(a) < 0) {
		audit_free(a);
		return -ENOMEM;
	}
	return 0;
}

void audit_free(struct audit *a)
{
	audit_cache_free(a);
	AUDIT_FREE(a->sig);
	AUDIT_FREE(a->group);
	AUDIT_FREE(a->v);
	AUDIT_FREE(a->cr3);
}

/* Order a group by address space, then VA: the order walks produce. */
static int audit_map_cmp(const void *x, const void *y)
{
	const struct audit_map *p = x, *q = y;

	if (p->as != q->as)
		return p->as < q->as ? -1 : 1;
	return p->va < q->va ? -1 : p->va > q->va;
}

/* Every mapping of frame pfn into a->group, in order.  Returns how many
 * (0 if unmapped), or -ENOMEM. */
static long audit_group(struct audit *a, uint64_t pfn)
{
	size_t n = 0;

	for (uint32_t id = a->rhead[pfn]; id != AUDIT_NONE;
	     id = a->rec[id].next) {
		if (n == a->capgroup) {
			size_t ncap = a->capgroup ? a->capgroup * 2 : 64;
			struct audit_map *p = realloc(a->group,
						      ncap * sizeof(*p));

			if (!p)
				return -ENOMEM;
			a->group = p;
			a->capgroup = ncap;
		}
		a->group[n++] = a->rec[id];
	}
	if (n > 16) {
		qsort(a->group, n, sizeof(*a->group), audit_map_cmp);
		return (long)n;
	}
	for (size_t i = 1; i < n; i++) {
		struct audit_map m = a->group[i];
		size_t j = i;

		for (; j && audit_map_cmp(&a->group[j - 1], &m) > 0; j--)
			a->group[j] = a->group[j - 1];
		a->group[j] = m;
	}
	return (long)n;
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

/*
 * Sharing: a frame mapped more than once is read-only everywhere unless
 * every writable mapping is a shared mapping and so is every other, or
 * the frame is a page-cache frame (by the kernel's frame table) and the
 * others are copy-on-write: a private file mapping not written yet maps
 * the cache's frame read-only and sees what shared mappings write to it,
 * as on Linux.
 */
static void audit_sharing(struct audit *a, const struct registry *reg,
			  const struct audit_map *g, size_t n)
{
	const struct audit_map *w = NULL, *other = NULL;
	bool all_shared = true, private_writable = false, private_cow = true;

	for (size_t i = 0; i < n; i++) {
		/* the first writable mapping, a private one if any */
		if ((g[i].eff & PTE_RW) &&
		    (!w || ((w->pte & PTE_SW_SHARED) &&
			    !(g[i].pte & PTE_SW_SHARED))))
			w = &g[i];
		if (!(g[i].pte & PTE_SW_SHARED)) {
			all_shared = false;
			private_writable |= (g[i].eff & PTE_RW) != 0;
			private_cow &= (g[i].pte & PTE_SW_COW) != 0;
		}
	}
	if (n < 2 || !w)
		return;
	/* the private mappings of a cache frame are copy-on-write ones, as
	 * the kernel maps a private file page it has not copied yet */
	if (!private_writable && (all_shared || (private_cow &&
	    audit_kernel_state(a, reg, g->pfn) == FRAME_FILE)))
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

/*
 * Check one frame whose mappings changed or which was written: the zero
 * page's mappings, sharing, and provenance if it was written, if its
 * mappings changed in a way that matters (signature), or if scan_all.
 * Returns 1 if its content was scanned, 0 if not, -ENOMEM.
 */
static int audit_frame(struct audit *a, const struct registry *reg,
		       uint64_t pfn, bool scan_all, const uint64_t *dirty)
{
	long n = audit_group(a, pfn);
	const struct audit_map *g = a->group;
	uint64_t s, old = a->sig[pfn];

	if (n <= 0) {
		a->sig[pfn] = 0;
		return (int)n;
	}
	s = audit_sig(reg, g, (size_t)n);
	a->sig[pfn] = s;
	if (pfn == a->zero_pfn) {
		audit_zero_mappings(a, reg, g, (size_t)n);
		return 0;
	}
	audit_sharing(a, reg, g, (size_t)n);
	if (!scan_all && !(dirty && audit_bit(dirty, pfn)) && old == s)
		return 0;
	audit_scan_frame(a, reg, g, (size_t)n);
	return 1;
}

int audit_pass(struct audit *a, const struct registry *reg, const char *where,
	       const uint64_t *dirty)
{
	uint64_t before = a->nviolations, t0 = audit_now_ns(), t1, scanned = 0;
	uint64_t zero_pfn = reg->has_zero_page ? reg->zero_page / PAGE_SIZE :
						 ~0ULL;
	uint64_t words = (a->nframes + 63) / 64;
	int r;

	snprintf(a->where, sizeof(a->where), "%s", where);
	a->passes++;
	a->tables_walked = 0;
	r = audit_cache_update(a, reg, a->full ? NULL : dirty);
	if (r < 0)
		goto oom;
	if (r)
		dirty = NULL;   /* rebuilt: every mapped frame is touched */
	if (zero_pfn != a->zero_pfn) {
		/* The old zero page was never scanned: scan it now. */
		if (a->zero_pfn < a->nframes) {
			a->touched[a->zero_pfn / 64] |= 1ULL << (a->zero_pfn % 64);
			a->sig[a->zero_pfn] = 0;
		}
		if (zero_pfn < a->nframes)
			a->touched[zero_pfn / 64] |= 1ULL << (zero_pfn % 64);
		a->zero_pfn = zero_pfn;
	}

	t1 = audit_now_ns();
	for (uint64_t w = 0; w < words; w++) {
		uint64_t bits = a->touched[w] | (dirty ? dirty[w] : 0);

		a->touched[w] = 0;
		for (; bits; bits &= bits - 1) {
			uint64_t pfn = w * 64 + (uint64_t)__builtin_ctzll(bits);

			if (pfn >= a->nframes)
				break;
			r = audit_frame(a, reg, pfn, !dirty, dirty);
			if (r < 0)
				goto oom;
			scanned += (uint64_t)r;
		}
	}
	audit_zero_content(a, reg);
	a->scan_ns += audit_now_ns() - t1;

	a->frames_scanned += scanned;
	a->last_scanned = scanned;
	a->last_ns = audit_now_ns() - t0;
	a->pass_ns += a->last_ns;
	return (int)(a->nviolations - before);

oom:
	if (a->out)
		fprintf(a->out, "vmm: audit: out of memory at %s\n", where);
	audit_cache_reset(a);   /* the next pass rebuilds and rescans */
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
