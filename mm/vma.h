/*
 * vma.h: virtual memory areas, [start, end) ranges of one address space
 * with protection and kind, kept as a sorted set.
 */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pte.h"

/* protection: same values as Linux PROT_* */
#define VMA_READ   0x1
#define VMA_WRITE  0x2
#define VMA_EXEC   0x4
#define VMA_PROT_MASK 0x7

/* kind */
#define VMA_SHARED    0x01  /* MAP_SHARED (else private) */
#define VMA_FILE      0x02  /* file-backed (else anonymous) */
#define VMA_GROWSDOWN 0x04  /* the stack: faults just below grow it */
#define VMA_HEAP      0x08  /* the brk area, "[heap]" in maps */
#define VMA_NOMAYWRITE 0x10 /* shared file mapping of a read-only fd:
			       never writable (Linux's !VM_MAYWRITE) */

struct vma {
	uint64_t start, end;    /* page aligned, start < end */
	uint32_t prot;          /* VMA_READ | VMA_WRITE | VMA_EXEC; set with
				   vma_set_prot */
	uint32_t flags;         /* VMA_SHARED | VMA_FILE | ... */
	uint64_t pte_flags;     /* vma_pte_flags_of(prot, flags), cached */
	struct mm_file *file;   /* file VMAs: holds a reference (pagecache.h) */
	uint64_t offset;        /* file offset of start, bytes */
	struct vma *prev, *next;
};

struct mm_file;

struct vma_set {
	struct vma *head;       /* lowest VMA; walk with ->next */
	struct vma *cache;      /* last VMA vma_find returned */
	uint32_t count;
};

void vma_init(void);
void vma_set_init(struct vma_set *s);
struct vma *vma_alloc(uint64_t start, uint64_t end, uint32_t prot,
		      uint32_t flags);
void vma_free(struct vma *v);
struct vma *vma_find_slow(struct vma_set *s, uint64_t addr);
struct vma *vma_find_next(struct vma_set *s, uint64_t addr);
int vma_insert(struct vma_set *s, struct vma *v);
void vma_remove(struct vma_set *s, struct vma *v);
int vma_set_copy(struct vma_set *dst, const struct vma_set *src);
struct vma *vma_split(struct vma_set *s, struct vma *v, uint64_t addr);
bool vma_can_merge(const struct vma *a, const struct vma *b);
struct vma *vma_merge(struct vma_set *s, struct vma *v);
uint64_t vma_gap_topdown(struct vma_set *s, uint64_t len, uint64_t low,
			 uint64_t high);

/* The last VMA vma_find found, if it contains addr; else NULL (which
 * says nothing about addr).  Consecutive faults hit the same VMA. */
static inline struct vma *vma_find_cached(struct vma_set *s, uint64_t addr)
{
	struct vma *v = s->cache;

	return v && addr >= v->start && addr < v->end ? v : NULL;
}

/* The VMA containing addr, or NULL; remembered for vma_find_cached. */
static inline struct vma *vma_find(struct vma_set *s, uint64_t addr)
{
	struct vma *v = vma_find_cached(s, addr);

	return v ? v : vma_find_slow(s, addr);
}

/*
 * PTE flags for a page of a VMA with prot and flags mapping its own frame
 * (P, US, RW, NX, SHARED), without branches: each bit is moved from
 * where the VMA keeps it to where the PTE wants it.
 */
_Static_assert(VMA_WRITE == PTE_RW, "VMA_WRITE is the PTE's RW bit");
_Static_assert((uint64_t)VMA_EXEC << 61 == PTE_NX, "VMA_EXEC << 61 is NX");
_Static_assert((uint64_t)VMA_SHARED << 9 == PTE_SW_SHARED,
	       "VMA_SHARED << 9 is PTE_SW_SHARED");
static inline uint64_t vma_pte_flags_of(uint32_t prot, uint32_t flags)
{
	return PTE_P | PTE_US | (prot & VMA_WRITE) |
	       ((uint64_t)(~prot & VMA_EXEC) << 61) |
	       ((uint64_t)(flags & VMA_SHARED) << 9);
}

/* Change v's protection (and the PTE flags it implies). */
static inline void vma_set_prot(struct vma *v, uint32_t prot)
{
	v->prot = prot;
	v->pte_flags = vma_pte_flags_of(prot, v->flags);
}

/* vma_pte_flags_of for v: kept in v, as every write fault asks. */
static inline uint64_t vma_pte_flags(const struct vma *v)
{
	return v->pte_flags;
}

/* vma_pte_flags for a read-only mapping in a private VMA (the zero
 * page): P, US, NX. */
static inline uint64_t vma_pte_flags_ro_private(const struct vma *v)
{
	return PTE_P | PTE_US | ((uint64_t)(~v->prot & VMA_EXEC) << 61);
}

#endif /* MM_VMA_H */
