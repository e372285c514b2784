/*
 * walk.h: the host page walker: a guest virtual address translated from a
 * root table GPA exactly as the MMU does it (4-level, or 5-level when the
 * guest runs with CR4.LA57), reading guest RAM only through struct gmem.
 *
 * Levels are numbered as in mm/pte.h, from the leaf: 0 = PT, 1 = PD,
 * 2 = PDPT, 3 = PML4, 4 = PML5.  Effective rights accumulate over the
 * levels the way the MMU combines them: RW and US are AND-ed, NX is OR-ed.
 */
#ifndef VMM_WALK_H
#define VMM_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/gmem.h"

#define WALK_MAX_LEVELS 5

/* What the paging mode makes legal (from CR4, EFER and CPUID). */
struct walk_mode {
	int levels;             /* 4, or 5 with CR4.LA57 */
	unsigned maxphyaddr;    /* CPUID 0x80000008 EAX[7:0]; 52 at most */
	bool nxe;               /* EFER.NXE: bit 63 is XD, else reserved */
	bool gbpages;           /* 1 GiB pages (PS in a PDPTE) supported */
};

/* The mode of this project's guest on this host: 4 levels, NXE, no 1 GiB
 * pages, given MAXPHYADDR. */
struct walk_mode walk_mode_default(unsigned maxphyaddr);

enum walk_status {
	WALK_OK,                /* translated: pa, page_size, eff are valid */
	WALK_NOT_PRESENT,       /* an entry on the way has P clear */
	WALK_OUTSIDE_RAM,       /* a table address is not guest RAM */
	WALK_RESERVED,          /* a present entry has reserved bits set */
	WALK_NONCANONICAL,      /* va is not sign-extended from its top bit */
};

struct walk_step {
	int level;
	unsigned index;
	uint64_t table;         /* GPA of the table read at this level */
	uint64_t entry;         /* the entry's value (0 if unreadable) */
	uint64_t rsvd;          /* reserved bits set in it, if any */
};

struct walk {
	uint64_t va;
	enum walk_status status;
	int nsteps;             /* entries read (a failed table read counts) */
	struct walk_step step[WALK_MAX_LEVELS];
	uint64_t pa;            /* translated address (WALK_OK) */
	uint64_t page_size;     /* 4 KiB, 2 MiB or 1 GiB */
	uint64_t eff;           /* leaf flags with accumulated P RW US NX */
	uint64_t leaf;          /* the leaf entry */
};

/*
 * Translate va from the table at root.  Fills *w (every entry read, in
 * order) and returns w->status.  Never follows an address outside RAM.
 */
enum walk_status walk_va(const struct gmem *m, const struct walk_mode *mode,
			 uint64_t root, uint64_t va, struct walk *w);

/* Reserved bits set in a present entry at level (0 if none). */
uint64_t walk_reserved(const struct walk_mode *mode, int level,
		       uint64_t entry);

/* The frame a leaf entry at level maps (aligned to its size). */
uint64_t walk_leaf_base(uint64_t entry, int level);

/* Fold entry's rights into the accumulated ones acc, as the MMU does (RW
 * and US AND-ed, NX OR-ed; P set). */
uint64_t walk_accumulate(uint64_t acc, uint64_t entry);

/* "PML4" etc. for a level number. */
const char *walk_level_name(int level);

/*
 * Format an entry's flags as "P RW US PWT PCD A D PS G NX SHARED COW ZERO
 * PROTNONE" (only those set; PS only above the PT level) into buf.
 * Returns buf.
 */
char *walk_flags_str(uint64_t entry, int level, char *buf, size_t cap);

/*
 * Format a walk level by level: "PML4[0]=0x...(P RW US) -> PDPT[0]=...
 * -> PT[0]=0x...(P US NX A) -> frame 0x... + 0x..." (or the reason it
 * stopped).  Returns the length snprintf would have written.
 */
int walk_format(const struct walk *w, char *buf, size_t cap);

/* One present leaf of the user half, as the iterator sees it. */
struct walk_leaf {
	uint64_t va;            /* first byte it maps */
	uint64_t pa;            /* frame (page_size aligned) */
	uint64_t size;          /* 4 KiB, 2 MiB or 1 GiB */
	uint64_t eff;           /* as struct walk */
	uint64_t pte;           /* the leaf entry */
	uint64_t pte_gpa;       /* where the leaf entry lives */
	int level;
};

enum walk_problem_kind {
	WALK_PROB_TABLE_OUTSIDE_RAM,    /* entry points at a non-RAM table */
	WALK_PROB_FRAME_OUTSIDE_RAM,    /* a leaf maps a non-RAM frame */
	WALK_PROB_RESERVED,             /* reserved bits in a present entry */
	WALK_PROB_ROOT_OUTSIDE_RAM,     /* the root itself */
	WALK_PROB_TABLE_ALIAS,          /* entry points at a table this walk
					   already reached (bits: its GPA) */
};

struct walk_problem {
	enum walk_problem_kind kind;
	int level;              /* of the offending entry */
	uint64_t va;            /* first VA the entry covers */
	uint64_t entry_gpa;     /* where the entry lives */
	uint64_t entry;
	uint64_t bits;          /* reserved bits, or the bad address */
};

struct walk_visitor {
	/* Called for each present user-half leaf; nonzero stops the walk. */
	int (*leaf)(void *arg, const struct walk_leaf *l);
	/* Called for each table read (the root included), before its
	   entries; optional. */
	void (*table)(void *arg, uint64_t gpa, int level);
	/* Called for each problem; the offending entry is not followed. */
	void (*problem)(void *arg, const struct walk_problem *p);
	void *arg;
};

/*
 * Visit every present leaf of the user half (top-level slots 0..255) of
 * the tables at root, in VA order.  Each table is read once: an entry
 * leading to a table already reached (a cycle, a table that maps itself,
 * two entries sharing one table) is a WALK_PROB_TABLE_ALIAS problem and
 * not followed, so the walk reads at most one table per guest frame
 * whatever the guest wrote.  Returns 0, the leaf callback's nonzero
 * value, or -1 when out of memory (nothing visited).
 */
int walk_user(const struct gmem *m, const struct walk_mode *mode,
	      uint64_t root, const struct walk_visitor *v);

#endif /* VMM_WALK_H */
