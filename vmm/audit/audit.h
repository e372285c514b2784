/*
 * audit.h: the auditor's invariants, checked from the host over guest RAM
 * and the registry of address spaces the guest announced (DESIGN.md,
 * "The auditor's invariants").  Nothing here touches KVM: audit_vm.h
 * feeds it from the running VM, the unit tests from a fake guest RAM.
 *
 * A pass (audit_pass) walks every live address space and checks:
 *   zero page   all zeros, and no user PTE maps it writable;
 *   sharing     a frame mapped twice (two address spaces, or twice in one)
 *               is read-only in all of them unless every writable mapping
 *               carries PTE_SW_SHARED and so does every other, or the
 *               frame is in the page cache (a private file mapping not
 *               written yet sees the file's shared writes, as on Linux);
 *   provenance  a tag word (vmmtest.h) in a frame mapped by pid P belongs
 *               to P or one of its ancestors (or, in a PTE_SW_SHARED
 *               mapping, to another process sharing the frame); words
 *               naming a pid that never had an address space (pid 0:
 *               TAG_MAGIC itself, a constant in every tagging program)
 *               are only counted;
 *   tables      no entry points outside RAM or has reserved bits set,
 *               and no table is reached twice in one address space (at
 *               one level or two: a cycle, a table that maps itself, a
 *               fan-out); the second path is not followed, so a walk
 *               reads each table of a space once.  Over all spaces the
 *               cache holds at most AUDIT_MAX_NODES(nframes) tables and
 *               AUDIT_MAX_MAPS(nframes) mappings; what lies beyond is
 *               reported and not walked.  A hostile guest cannot make a
 *               pass cost more than that;
 *   ptshare     a table reached from two address spaces through two
 *               different entries (the leaf tables fork shares, mm/pte.h)
 *               is reached only through entries that are read-only and
 *               carry PDE_SW_PTSHARED, and no table entry carries
 *               PDE_SW_PTSHARED with RW set.  Checked where a table's
 *               cached node is made (audit_cache.c), not by any walk of
 *               its own;
 *   freed       no mapped frame is free in the kernel's frame table (use
 *               after free; page_poison=1 makes it visible, as the free
 *               writes the frame), and under page_poison no mapped frame
 *               holds its own freed-frame pattern (mm/poison.h): it was
 *               handed out without its clear (not reported under
 *               clear=none, which clears nothing by design).
 * audit_leak checks the frame counts the kernel reports at shutdown and
 * audit_cr3.c every CR3 seen at a VM exit.
 */
#ifndef VMM_AUDIT_H
#define VMM_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmm/gmem.h"
#include "vmm/audit/walk.h"

/* free(p) and forget it, so that a second free is harmless. */
#define AUDIT_FREE(p) do { free(p); (p) = NULL; } while (0)

struct registry;

enum audit_mode { AUDIT_OFF, AUDIT_EXIT, AUDIT_CHECKPOINT, AUDIT_STRICT };

enum audit_kind {
	AUDIT_ZERO_DIRTY,       /* zero page not all zeros */
	AUDIT_ZERO_WRITABLE,    /* a user PTE maps the zero page writable */
	AUDIT_SHARED_WRITABLE,  /* shared frame writable, not both SHARED */
	AUDIT_STALE,            /* another process's tag in a mapped frame */
	AUDIT_TABLE_OUTSIDE,    /* table or leaf address outside RAM */
	AUDIT_RESERVED,         /* reserved bits in a present entry */
	AUDIT_LEAK,             /* frames_free_exit != frames_free_start */
	AUDIT_CR3,              /* CR3 not the root of a registered space */
	AUDIT_TRANSLATE,        /* host walk disagrees with KVM_TRANSLATE */
	AUDIT_USE_AFTER_FREE,   /* page_poison: a mapped frame holds poison
				   and the kernel calls it free */
	AUDIT_SKIPPED_CLEAR,    /* page_poison: a mapped, allocated frame
				   holds poison: handed out uncleared */
	AUDIT_TABLE_ALIAS,      /* a table reached twice in one space */
	AUDIT_TABLE_SHARED,     /* a table two spaces reach through an entry
				   not read-only and PDE_SW_PTSHARED, or an
				   entry with PDE_SW_PTSHARED and RW */
	AUDIT_BUDGET,           /* the tables reach more than the bounds */
	AUDIT_NKINDS
};

/* What identifies a violation (a repeat of the same key is counted once). */
struct audit_key {
	enum audit_kind kind;
	uint64_t frame;         /* GPA, or the CR3 / table address */
	uint64_t pid;           /* victim / mapper */
	uint64_t owner;         /* tag owner; second pid for sharing */
	uint64_t va;
	uint64_t offset;        /* byte offset in the frame */
};

struct audit_violation {
	struct audit_key key;
	char where[48];         /* audit point: "checkpoint 3", "VM exit"... */
	char text[320];         /* the human report, without "vmm: " */
};

struct audit_map;               /* one user mapping of a frame */
struct audit_node;              /* one cached page table */
struct audit_space;             /* one cached address space */
struct audit_cr3;               /* an unregistered CR3 (audit_cr3.c) */

struct audit {
	/* configuration */
	struct gmem mem;
	struct walk_mode mode;
	enum audit_mode level;
	char clear[16];         /* clearing policy in force, for reports */
	bool full;              /* rescan every mapped frame at every pass */
	bool poison;            /* the kernel poisons freed frames */
	FILE *out;              /* violation reports; NULL: silent */
	char where[48];         /* the current audit point */

	/* results */
	uint64_t passes, checkpoints;
	uint64_t frames_scanned;        /* content scans, all passes */
	uint64_t frames_mapped;         /* distinct frames, last pass */
	uint64_t mappings;              /* user mappings, last pass */
	uint64_t exited_tags;           /* words of exited processes seen */
	uint64_t unknown_tags;          /* tag-like words of no known pid */
	uint64_t scan_ns, pass_ns;      /* time in content scans / passes */
	uint64_t last_scanned, last_ns; /* the last pass */
	uint64_t nviolations;           /* distinct violations */
	struct audit_violation *v;      /* the first AUDIT_MAX_STORED */
	int nv, capv;

	/* incremental state: the tables as last walked (audit_cache.c) */
	uint64_t nframes;
	uint64_t *sig;                  /* per frame: its mappings' summary */
	uint64_t *touched;              /* frames whose mappings changed */
	uint32_t *rhead;                /* per frame: its first mapping */
	uint32_t *thead;                /* per frame: first table node on it */
	struct audit_map *rec;          /* mappings, by id */
	uint32_t nrec, caprec, freerec;
	struct audit_node **node;       /* cached tables, by id */
	uint32_t nnode, capnode, freenode;
	struct audit_space *space;      /* per registry->as index */
	int nspace, capspace;
	uint32_t *chain;                /* scratch: the nodes on one frame */
	size_t capchain;
	struct audit_map *group;        /* scratch: one frame's mappings */
	size_t capgroup;
	uint64_t *share_mark;           /* per frame: in share_q */
	uint64_t *share_q;              /* frames given a node by this update:
					   the sharing rule is checked there */
	size_t nshare_q, capshare_q;
	struct walk_mode cached_mode;   /* the mode the cache was walked in */
	uint64_t zero_pfn;              /* the zero page at the last pass */
	bool rebuild;                   /* the cache cannot be trusted */
	uint64_t tables_walked;         /* tables read by the last pass */
	uint64_t live_nodes;            /* cached tables now */

	/* CR3 tracking (audit_cr3.c) */
	uint64_t kernel_cr3, last_ok_cr3;
	bool boot_done;
	uint64_t cr3_checks;
	struct audit_cr3 *cr3;
	int ncr3, capcr3;
};

/* The cache's bounds, in guest frames: one node per table frame (plus
 * room for tables shared between spaces), 16 mappings per frame (the
 * zero page mapped over large ranges).  A node is about 6 KiB, a mapping
 * 48 bytes: at most about 7 KiB of host memory per 4 KiB guest frame. */
#define AUDIT_MAX_NODES(nframes) ((nframes) + 4096)
#define AUDIT_MAX_MAPS(nframes)  (16 * (nframes) + 65536)

#define AUDIT_MAX_STORED 4096   /* violations kept for dedup and JSON */
#define AUDIT_MAX_PRINTED 16    /* full reports printed; the rest counted */

/* Set up a for guest RAM mem under paging mode; clear names the clearing
 * policy.  Returns 0 or -ENOMEM. */
int audit_init(struct audit *a, const struct gmem *mem,
	       const struct walk_mode *mode, enum audit_mode level,
	       const char *clear);
void audit_free(struct audit *a);

/*
 * One pass over every live address space of reg at audit point where.
 * dirty has one bit per 4 KiB frame written since the previous pass (the
 * page tables included): only tables on dirty frames are re-read, and
 * content is rescanned for dirty frames and frames whose set of mappings
 * changed (audit_cache.c).  dirty NULL or a->full re-walks every table and
 * rescans every mapped frame.  Returns the number of new violations.
 */
int audit_pass(struct audit *a, const struct registry *reg, const char *where,
	       const uint64_t *dirty);

/*
 * The no-leak invariant at VM exit: with no live address space left,
 * the kernel's reports frames_free_exit and frames_free_start must agree.
 * Returns 1 on a violation, 0 otherwise (also when it cannot tell; then
 * *why says why it was skipped, if why is not NULL).
 */
int audit_leak(struct audit *a, const struct registry *reg, const char **why);

/*
 * Up to max VAs of present user leaves of address space as (index in
 * registry->as), picked at random (seed) from the last pass's tables.
 * Returns how many.
 */
int audit_sample(const struct audit *a, int as, uint64_t seed, uint64_t *va,
		 int max);

/* CR3 tracking (audit_cr3.c).  The CR3 at HC_ZERO_PAGE is the kernel's;
 * before it the boot tables are in use and nothing is checked. */
void audit_cr3_kernel(struct audit *a, uint64_t cr3);
/* A CR3 seen at a VM exit: fine if it is the kernel's or the root of a
 * live address space, else remembered until it is registered.  Returns
 * true when it is a new unknown one (audit_cr3_set_rip may then add where
 * the vCPU was). */
bool audit_cr3_seen(struct audit *a, const struct registry *reg,
		    uint64_t cr3, uint64_t rip);
void audit_cr3_set_rip(struct audit *a, uint64_t rip);
/* The registry changed (address space created or destroyed). */
void audit_cr3_changed(struct audit *a, const struct registry *reg);
/* VM exit: every CR3 never registered is a violation.  Returns how many. */
int audit_cr3_final(struct audit *a);

/* Reports (audit_report.c). */
/* Record a violation (once per key), print its report to a->out. */
void audit_violate(struct audit *a, const struct audit_key *k,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *audit_kind_name(enum audit_kind kind);
const char *audit_mode_name(enum audit_mode mode);
/* "off" etc. to enum audit_mode, or -1. */
int audit_mode_parse(const char *s);
/* "audit: N checkpoints, M frames scanned, K violations" and a newline. */
void audit_summary(const struct audit *a, FILE *out);
/* The whole result as the member "audit": {...} of a JSON object (the
 * caller writes the braces around it, and any other members). */
void audit_json(const struct audit *a, FILE *out);
/* s as a JSON string: quotes, backslashes and control characters escaped. */
void audit_json_string(FILE *out, const char *s);
/* Scan throughput of all passes so far, GB/s (0 if nothing scanned). */
double audit_gbps(const struct audit *a);
/* What that is measured against, the physical limit: seconds for one
 * plain read of every 8-byte word of guest RAM [lo, hi) (in RAM). */
double audit_plain_read(const struct gmem *mem, uint64_t lo, uint64_t hi);

#endif /* VMM_AUDIT_H */
