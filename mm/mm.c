/*
 * mm.c: address-space lifetime, the shared zero page, and the one place
 * where a user PTE gives its frame back (mm_zap_range).
 *
 * Ownership: every PTE that maps an anonymous or page-cache frame holds
 * one reference (frame refcount), counts once in the frame's mapcount and
 * has one rmap item on the frame (rmap.c).  The zero page's refcount
 * is held by mm_init forever; its mapcount counts the PTEs mapping it
 * (no rmap items), and those PTEs carry PTE_SW_ZERO and never PTE_RW.
 * After mm_fork (fork.c) a private frame is mapped read-only with
 * PTE_SW_COW by several address spaces, one reference and one map count
 * each; zapping any of them drops only its own, and the frame is freed
 * with the last reference.
 */
#include <stddef.h>
#include "mm.h"
#include "env.h"
#include "errno.h"
#include "frame.h"
#include "pagecache.h"
#include "pgtable.h"
#include "ptshare.h"
#include "rmap.h"
#include "slab.h"

static struct slab_cache mm_cache;
uint64_t mm_zero_pa;
struct frame *mm_zero_frame;
struct mm *mm_all;

/*
 * One-time setup after frame_init: registers the kernel's PML4 (whose
 * slots 256..511 every address space shares), the slab caches (mm, VMA,
 * rmap), an empty file registry (pagecache.h) and the zero page.
 * Returns 0 or -MM_ENOMEM.
 */
int mm_init(uint64_t kernel_root)
{
	pt_set_kernel_root(kernel_root);
	slab_cache_init(&mm_cache, "mm", sizeof(struct mm));
	vma_init();
	rmap_init();
	mm_pagecache_init();
	mm_all = NULL;
	mm_zero_pa = frame_alloc_page(FRAME_ZERO, FRAME_ZEROED);
	if (!mm_zero_pa)
		return -MM_ENOMEM;
	mm_zero_frame = frame_of(mm_zero_pa);
	return 0;
}

/* A new, empty address space (no VMAs, kernel half shared), or NULL. */
struct mm *mm_create(void)
{
	struct mm *mm = slab_alloc(&mm_cache);

	if (!mm)
		return NULL;
	mm->root = pt_alloc_root();
	if (!mm->root) {
		slab_free(&mm_cache, mm);
		return NULL;
	}
	vma_set_init(&mm->vmas);
	mm->mmap_top = USER_MMAP_TOP;
	mm->stack_limit = USER_STACK_LIMIT;
	mm->pid = -1;
	mm->all_next = mm_all;
	if (mm_all)
		mm_all->all_prev = mm;
	mm_all = mm;
	return mm;
}

/* Names used in messages ("NAME[PID]: segfault at ..."). */
void mm_set_owner(struct mm *mm, int pid, const char *name)
{
	int i;

	mm->pid = pid;
	for (i = 0; i < MM_NAME_LEN - 1 && name && name[i]; i++)
		mm->name[i] = name[i];
	mm->name[i] = '\0';
}

/* Where the heap starts (exec: end of the data segment, rounded up);
 * brk(0) then reports it.  Only before the heap has grown. */
void mm_set_brk_base(struct mm *mm, uint64_t base)
{
	mm->brk_start = PG_ROUND_UP(base);
	mm->brk = mm->brk_start;
}

static uint64_t zap_pte(void *arg, uint64_t va, uint64_t pte)
{
	struct mm *mm = arg;
	uint64_t pa = PTE_ADDR(pte);
	struct frame *f;

	if (!PTE_HOLDS_FRAME(pte))
		env_panic("mm_zap_range: stray PTE %lx at %lx", pte, va);
	f = frame_of(pa);
	if (f->mapcount == 0)
		env_panic("mm_zap_range: frame %lx mapped at %lx has mapcount 0",
			  pa, va);
	f->mapcount--;
	if (pte & PTE_SW_ZERO) {
		if (pa != mm_zero_pa)
			env_panic("mm_zap_range: ZERO PTE %lx at %lx", pte, va);
		mm->nr_zero--;
	} else {
		rmap_remove(f, mm, va);
		mm->rss--;
		frame_put(pa);
	}
	return 0;
}

/*
 * Unmap every page of [start, end) (page aligned) and release its frame;
 * emptied page tables are freed, the TLB flushed.  VMAs are untouched.
 */
uint64_t mm_total_vm(const struct mm *mm)
{
	uint64_t n = 0;

	for (const struct vma *v = mm->vmas.head; v; v = v->next)
		n += v->end - v->start;
	return n;
}

void mm_zap_range(struct mm *mm, uint64_t start, uint64_t end)
{
	mm->rss_hiwater = mm_rss_max(mm);
	pt_apply_range(mm->root, start, end, zap_pte, mm);
}

/*
 * Tear down an address space that is not loaded in CR3: release every
 * mapped frame, every page-table page, every VMA, and mm itself.
 */
void mm_destroy(struct mm *mm)
{
	struct vma *v, *n;

	ptshare_detach_all(mm);
	for (v = mm->vmas.head; v; v = n) {
		n = v->next;
		mm_zap_range(mm, v->start, v->end);
		vma_remove(&mm->vmas, v);
		vma_free(v);
	}
	if (mm->rss || mm->nr_zero)
		env_panic("mm_destroy: pid %d left rss %lu zero %lu", mm->pid,
			  mm->rss, mm->nr_zero);
	pt_destroy(mm->root);
	if (mm->all_prev)
		mm->all_prev->all_next = mm->all_next;
	else
		mm_all = mm->all_next;
	if (mm->all_next)
		mm->all_next->all_prev = mm->all_prev;
	slab_free(&mm_cache, mm);
}
