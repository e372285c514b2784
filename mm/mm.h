/*
 * mm.h: an address space: its page-table root, its VMAs, its heap, and
 * the counters and owner names its messages use.  Also the memory
 * manager's one-time initialisation (slab caches, the zero page).
 *
 * Boot order for the kernel: frame_init(mem, used ranges) with the
 * direct map usable for all RAM (env_p2v linear), then
 * frame_set_clear_policy, then mm_init(kernel PML4) once the kernel
 * half of the address space is final (its PML4 slots are copied into
 * every mm_create).  Per process: mm_create, mm_set_owner, mm_mmap...,
 * mm_fault from #PF, mm_fork (fork.c) for a copy-on-write child,
 * mm_destroy after the mm is no longer in CR3.
 */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdbool.h>
#include <stdint.h>
#include "vma.h"

#define MM_NAME_LEN 16

struct mm {
	uint64_t root;           /* PML4 physical address (CR3 value) */
	struct vma_set vmas;
	uint64_t brk_start;      /* heap start (page aligned, set by exec) */
	uint64_t brk;            /* current break, byte granular */
	uint64_t mmap_top;       /* top-down mmap placement below this */
	uint64_t stack_limit;    /* RLIMIT_STACK, bytes */
	uint64_t as_limit;       /* RLIMIT_AS, bytes; 0: none */
	uint64_t nr_faults;      /* page faults taken (getrusage's minflt) */
	uint64_t rss_hiwater;    /* rss before the last drop (ru_maxrss) */
	uint64_t rss;            /* frames this mm maps (zero page excluded) */
	uint64_t nr_zero;        /* PTEs mapping the zero page */
	uint32_t nr_ptshared;    /* PD entries at shared leaf tables
				    (ptshare.c) */
	int trace;               /* log every failed fault (debug) */
	int pid;                 /* for messages only */
	char name[MM_NAME_LEN];  /* for messages only */
	struct mm *all_prev, *all_next;  /* every live mm (rmap debug check) */
};

/* Bytes of all VMAs (RLIMIT_AS counts them). */
uint64_t mm_total_vm(const struct mm *mm);
/* Would mapping len more bytes break RLIMIT_AS? */
static inline bool mm_as_exceeded(const struct mm *mm, uint64_t len)
{
	return mm->as_limit && (len > mm->as_limit ||
				mm_total_vm(mm) > mm->as_limit - len);
}
/* The largest rss yet (kept up to date lazily, as Linux's hiwater). */
static inline uint64_t mm_rss_max(const struct mm *mm)
{
	return mm->rss > mm->rss_hiwater ? mm->rss : mm->rss_hiwater;
}

extern struct mm *mm_all;       /* list head of every live mm */
extern uint64_t mm_zero_pa;     /* set by mm_init; read it with mm_zero_page */
extern struct frame *mm_zero_frame;  /* its descriptor, cached by mm_init */

int mm_init(uint64_t kernel_root);
struct mm *mm_create(void);
void mm_destroy(struct mm *mm);
struct mm *mm_fork(struct mm *parent);
void mm_set_owner(struct mm *mm, int pid, const char *name);
void mm_set_brk_base(struct mm *mm, uint64_t base);
void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end);

/* Physical address of the shared zero page (inline: every zero-page
 * read fault asks). */
static inline uint64_t mm_zero_page(void)
{
	return mm_zero_pa;
}

/* The PML4 physical address to load in CR3. */
static inline uint64_t mm_root(const struct mm *mm)
{
	return mm->root;
}

/* Where the heap starts. */
static inline uint64_t mm_brk_base(const struct mm *mm)
{
	return mm->brk_start;
}
#endif /* MM_MM_H */
