/*
 * pagestat.c: see pagestat.h.
 */
#include "pagestat.h"
#include "frame.h"
#include "pgtable.h"
#include "ptshare.h"
#include "pte.h"
#include "vma.h"

static void account_pte(void *arg, uint64_t va, uint64_t pte)
{
	struct mm_page_stats *s = arg;
	const struct frame *f;
	uint32_t maps;
	bool dirty;

	(void)va;
	if (!PTE_HOLDS_FRAME(pte) || (pte & PTE_SW_ZERO))
		return;
	f = frame_of(PTE_ADDR(pte));
	maps = ptshare_map_count(PTE_ADDR(pte));       /* sharers included */
	dirty = pte & PTE_D;
	s->rss += PAGE_SIZE;
	s->pss += (PAGE_SIZE << MM_PSS_SHIFT) / (maps ? maps : 1);
	if (f->state == FRAME_FILE) {
		s->rss_file += PAGE_SIZE;
	} else if (pte & PTE_SW_SHARED) {
		s->rss_shmem += PAGE_SIZE;
	} else {
		s->rss_anon += PAGE_SIZE;
		s->anonymous += PAGE_SIZE;
	}
	if (maps >= 2)
		*(dirty ? &s->shared_dirty : &s->shared_clean) += PAGE_SIZE;
	else
		*(dirty ? &s->private_dirty : &s->private_clean) += PAGE_SIZE;
	if (pte & PTE_A)
		s->referenced += PAGE_SIZE;
}

void mm_page_stats(struct mm *mm, uint64_t start, uint64_t end,
		   struct mm_page_stats *s)
{
	pt_read_range(mm_root(mm), start, end, account_pte, s);
	s->size += end - start;
}

uint64_t mm_pagemap_entry(struct mm *mm, uint64_t va)
{
	const struct vma *v = vma_find(&mm->vmas, va);
	uint64_t pte = pt_leaf_pte(mm_root(mm), va), e = 0, pa;
	const struct frame *f;

	if (v)
		e |= PM_SOFT_DIRTY;
	if (!PTE_HOLDS_FRAME(pte))
		return e;
	pa = PTE_ADDR(pte);
	e |= PM_PRESENT | ((pa >> PAGE_SHIFT) & PM_PFN_MASK);
	if (pte & PTE_SW_ZERO)
		return e;               /* no "normal" page: no more bits */
	f = frame_of(pa);
	if (f->state == FRAME_FILE || (pte & PTE_SW_SHARED))
		e |= PM_FILE;
	if (ptshare_map_count(pa) == 1)
		e |= PM_MMAP_EXCLUSIVE;
	return e;
}
