/*
 * audit_map.h: inside the auditor: one user mapping of a frame, as a pass
 * collects them (audit.c), and the provenance scan of one frame's group
 * of mappings (audit_scan.c).
 */
#ifndef VMM_AUDIT_MAP_H
#define VMM_AUDIT_MAP_H

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
};

/*
 * Provenance: scan the frame of g[0..n) (every mapping of one frame,
 * n >= 1) for tag words its mappers are not entitled to, and report them.
 */
void audit_scan_frame(struct audit *a, const struct registry *reg,
		      const struct audit_map *g, size_t n);

#endif /* VMM_AUDIT_MAP_H */
