/*
 * audit_map.h: inside the auditor: one user mapping of a frame, as the
 * cache of the tables keeps them (audit_cache.c), and the provenance scan
 * of one frame's group of mappings (audit_scan.c).
 */
#ifndef VMM_AUDIT_MAP_H
#define VMM_AUDIT_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit;
struct registry;

struct audit_map {
	uint64_t pfn;
	uint64_t va;
	uint64_t pte;
	uint64_t eff;
	int as;                 /* index in registry->as */
	uint32_t next, prev;    /* the frame's other mappings (ids) */
	uint32_t sib;           /* the next frame of the same large leaf */
};

#define AUDIT_NONE UINT32_MAX   /* no mapping, no node */

/* The kernel's state of frame pfn (enum frame_state, mm/frame.h) from
 * its frame table (HC_FRAME_TABLE), or FRAME_NSTATES when it told none:
 * used only to classify what the host's own view found. */
unsigned audit_kernel_state(const struct audit *a, const struct registry *reg,
			    uint64_t pfn);

/* The cache of the tables (audit_cache.c). */
/* Allocate the per-frame state for a->nframes.  0 or -ENOMEM. */
int audit_cache_init(struct audit *a);
/* Forget every table and mapping: the next update rebuilds. */
void audit_cache_reset(struct audit *a);
void audit_cache_free(struct audit *a);
/*
 * Bring the cache in line with the tables of every live address space of
 * reg: re-read the tables on frames set in dirty, walk the spaces created
 * since, drop the ones destroyed (dirty NULL: rebuild everything).  Marks
 * in a->touched every frame whose mappings changed (all of them after a
 * rebuild).  Counts the tables read in a->tables_walked.  Returns 0, 1
 * when it rebuilt everything (dirty NULL, paging mode changed, or an
 * earlier update failed), or -ENOMEM.
 */
int audit_cache_update(struct audit *a, const struct registry *reg,
		       const uint64_t *dirty);

/*
 * Provenance: scan the frame of g[0..n) (every mapping of one frame,
 * n >= 1) for tag words its mappers are not entitled to, and report them.
 */
void audit_scan_frame(struct audit *a, const struct registry *reg,
		      const struct audit_map *g, size_t n);

#endif /* VMM_AUDIT_MAP_H */
