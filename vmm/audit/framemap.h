/*
 * framemap.h: a picture of guest RAM at an audit point, as SVG.  Each
 * frame is a cell (above FRAMEMAP_MAX_CELLS frames a cell covers several
 * and shows the majority, the mix in its tooltip), coloured by what the
 * host sees the frame to be: a page table by level, the zero page, the
 * kernel image, the page cache (the boot image), a user frame of one pid
 * (one hue per pid), copy-on-write shared, MAP_SHARED; a frame no user
 * page table reaches by the kernel's own frame table where it told one
 * (free, and then by content: zeros, tags not cleared yet, other; kernel
 * data; the kernel's page tables; reserved), else by content alone.  Each cell's <title> names its frames, their state, who maps
 * them where and whose tags they hold; a frame with a violation of the
 * audit is red, outlined, and its tooltip carries the report.
 *
 * Everything mapped comes from the host's own view (the census of the
 * live page tables, guest memory, the audit's violations) and the two
 * ranges the VMM placed itself (kernel image, boot image); only frames
 * no user table reaches are labelled by the kernel's word, its frame
 * table, which the picture says.
 */
#ifndef VMM_AUDIT_FRAMEMAP_H
#define VMM_AUDIT_FRAMEMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vmm/gmem.h"

struct audit;
struct frame_census;
struct registry;

#define FRAMEMAP_MAX_CELLS 16384        /* 128 x 128 cells at the most */

enum framemap_class {
	/* no user mapping, and the kernel told no frame table: by content */
	FM_UNMAPPED_ZERO,       /* all zeros */
	FM_UNMAPPED_OTHER,      /* no tags: kernel or free */
	FM_UNMAPPED_LIVE_TAGS,  /* a live process's tags */
	FM_UNMAPPED_STALE,      /* an exited process's tags */
	/* no user mapping, by the kernel's frame table (HC_FRAME_TABLE) */
	FM_FREE_ZERO,           /* free, all zeros */
	FM_FREE_TAGS,           /* free, still holding a process's tags */
	FM_FREE_OTHER,          /* free, other content */
	FM_KERNEL_DATA,         /* kernel data: slab, descriptors, stacks */
	FM_KERNEL_PT,           /* a page table no live user root reaches */
	FM_RESERVED,            /* reserved: boot structures */
	FM_KERNEL_IMAGE,        /* where the VMM loaded the kernel */
	FM_PAGE_CACHE,          /* the boot image: the page cache's frames */
	FM_ZERO_PAGE,
	FM_PT_L1, FM_PT_L2, FM_PT_L3, FM_PT_L4,
	FM_USER,                /* user frame, one mapping (hue per pid) */
	FM_USER_COW,            /* user frame, several read-only mappings */
	FM_USER_SHARED,         /* MAP_SHARED */
	FM_NCLASSES
};

/* What the map shows besides the census. */
struct framemap_input {
	const struct frame_census *census;
	const struct registry *reg;
	const struct gmem *mem;
	const struct audit *audit;      /* its violations; may be NULL */
	uint64_t kernel_start, kernel_end;      /* GPAs, [start, end) */
	uint64_t image_start, image_end;        /* boot image, [start, end) */
	const char *where;              /* the audit point */
	double seconds;                 /* since the VMM started */
	int point;              /* > 0: outlined cells get id="pPOINT-fFRAME" */
	bool embedded;          /* inside HTML: no XML declaration */
};

/* What was drawn: the numbers a test compares with the audit's own. */
struct framemap_stats {
	uint64_t cells, frames_per_cell;
	uint64_t frames[FM_NCLASSES];   /* frames per class */
	uint64_t outlined;              /* cells outlined for a violation */
};

/* The class of frame pfn. */
enum framemap_class framemap_classify(const struct framemap_input *in,
				      uint64_t pfn);
const char *framemap_class_name(enum framemap_class c);

/* s as XML text: the five special characters as entities, control
 * characters but newline dropped. */
void framemap_xml(FILE *out, const char *s);

/* Write the SVG to out.  Returns 0, or -ENOMEM. */
int framemap_write_svg(FILE *out, const struct framemap_input *in,
		       struct framemap_stats *st);

#endif /* VMM_AUDIT_FRAMEMAP_H */
