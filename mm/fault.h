/*
 * fault.h: the page-fault handler.  mm_fault decides what a #PF on a user
 * address means and returns the outcome; the trap code acts on it (resume
 * the process, kill it with SIGSEGV, or fail a uaccess with -EFAULT).
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdbool.h>
#include <stdint.h>
#include "mm.h"

/* A stack may not grow closer than this to an accessible VMA below it. */
#define MM_STACK_GUARD_GAP (256ULL << 12)

enum mm_fault_outcome {
	/* resolved: retry the access */
	MM_FAULT_ZERO_READ,         /* zero page mapped read-only */
	MM_FAULT_DEMAND_ZERO,       /* fresh frame mapped */
	MM_FAULT_WRITE_AFTER_ZERO,  /* zero page replaced by a fresh frame */
	MM_FAULT_STACK_GROW,        /* stack VMA grown, page mapped */
	MM_FAULT_SHARED_ANON,       /* frame for a shared anonymous page */
	MM_FAULT_SPURIOUS,          /* the PTE already allows it (stale TLB) */
	MM_FAULT_COW_COPY,          /* COW page copied into a fresh frame */
	MM_FAULT_COW_REUSE,         /* COW page's last mapping made writable */
	MM_FAULT_FILE,              /* page-cache frame mapped */
	MM_FAULT_FILE_COPY,         /* private file page copied on a write */
	MM_FAULT_RESOLVED_LAST = MM_FAULT_FILE_COPY,
	/* not resolved */
	MM_FAULT_OOM,               /* valid access, no frame left */
	MM_FAULT_SEGV_MAPERR,       /* no VMA there (SEGV_MAPERR) */
	MM_FAULT_SEGV_ACCERR,       /* protection violation (SEGV_ACCERR) */
	MM_FAULT_SIGBUS,            /* file page past EOF (or no file) */
	MM_FAULT_NR
};

static inline bool mm_fault_resolved(enum mm_fault_outcome o)
{
	return o <= MM_FAULT_RESOLVED_LAST;
}

enum mm_fault_outcome mm_fault(struct mm *mm, uint64_t va, uint64_t err);
const char *mm_fault_outcome_name(enum mm_fault_outcome o);

#endif /* MM_FAULT_H */
