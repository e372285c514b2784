/*
 * frames.h: a census of guest frames as the page tables show them (the
 * host's independent view), with the kernel's own free count where it
 * told us one: the frame summary of --frames, and the mapping counts that
 * pagemap's "exclusive" bit needs.
 */
#ifndef VMM_FRAMES_H
#define VMM_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/gmem.h"
#include "vmm/audit/walk.h"

#define FRAME_K_PAGETABLE 0x01
#define FRAME_K_ZERO      0x02
#define FRAME_K_ANON      0x04   /* mapped by a user PTE, not the zero page */
#define FRAME_K_SHARED    0x08   /* ... and that PTE has PTE_SW_SHARED */

struct registry;

struct frame_census {
	const struct registry *reg;     /* whose address spaces */
	uint64_t nframes;
	uint8_t *kind;          /* FRAME_K_* per frame */
	uint16_t *maps;         /* user PTEs mapping each frame (saturating) */
	uint8_t *level;         /* page tables: the level, 1 (PT) to 4 */
	uint64_t *first_pid;    /* user frames: the first mapper's pid */
	uint64_t *first_va;     /* ... and the VA it maps the frame at */
	uint64_t walking_pid;   /* the address space being walked */
	uint64_t pagetable, zero, anon, shared;
};

/*
 * Walk every live address space of reg and classify each frame.
 * Returns 0, or -1 when out of memory.  Free with frames_census_free.
 */
int frames_census(struct frame_census *c, const struct registry *reg,
		  const struct gmem *m, const struct walk_mode *mode);
void frames_census_free(struct frame_census *c);

/* "vmm: frames at WHERE: ..." on stderr. */
void frames_print_summary(const struct frame_census *c, const char *where);

#endif /* VMM_FRAMES_H */
