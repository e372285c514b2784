/*
 * inject.c: see inject.h.  None of this runs unless asked for.
 */
#include "cmdline.h"
#include "console.h"
#include "inject.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/env.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/pte.h"
#include "mm/ptshare.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "proc.h"

static int is(const char *name)
{
	return kopts.inject && !strcmp(kopts.inject, name);
}

void inject_boot(void)
{
	if (!is("zero_write"))
		return;
	((volatile uint8_t *)P2V(mm_zero_page()))[100] = 0x5a;
	kprintf("INJECTED BUG: wrote 0x5a into the zero page at offset 100\n");
}

/*
 * The exit of p freed a frame its parent still maps: the first
 * copy-on-write page of an anonymous mapping (not the stack, the heap or
 * the program's data, which the parent needs to get as far as its exit)
 * whose frame only the parent holds now (p shared it until its exit).
 * The frame goes back to the free lists with every count dropped, the
 * parent's PTE stays.
 */
static bool use_after_free(struct proc *p)
{
	struct proc *parent = p->ppid ? proc_find(p->ppid) : NULL;
	int level;

	if (!parent || !parent->mm)
		return false;
	for (struct vma *v = parent->mm->vmas.head; v; v = v->next) {
		if ((v->flags & (VMA_FILE | VMA_GROWSDOWN | VMA_HEAP)) ||
		    v->start < parent->mm->brk_start)
			continue;
		for (uint64_t va = v->start; va < v->end; va += PAGE_SIZE) {
			uint64_t *pte = pt_walk(mm_root(parent->mm), va, &level);
			uint64_t pa;
			struct frame *f;

			if (!pte || level != 0 || !(*pte & PTE_P) ||
			    !(*pte & PTE_SW_COW) || (*pte & PTE_SW_ZERO))
				continue;
			pa = PTE_ADDR(*pte);
			f = frame_of(pa);
			if (f->state != FRAME_ANON || f->refcount != 1)
				continue;
			rmap_remove(f, parent->mm, va);
			f->mapcount = 0;
			frame_put(pa);
			kprintf("INJECTED BUG: the exit of %s[%d] freed frame "
				"%#llx, still mapped by %s[%d] at %#llx\n",
				p->name, p->pid, (unsigned long long)pa,
				parent->name, parent->pid,
				(unsigned long long)va);
			return true;
		}
	}
	return false;
}

/* The exit turns off the clearing of user pages (page tables and kernel
 * pages are still cleared): the next faults hand out freed frames as
 * they are, while the command line, and the auditor, still say
 * otherwise. */
static bool skip_clear(struct proc *p)
{
	frame_set_clear_policy(FRAME_CLEAR_NONE);
	kprintf("INJECTED BUG: the exit of %s[%d] stopped the clearing of "
		"freed user pages\n", p->name, p->pid);
	return true;
}

void inject_exit(struct proc *p)
{
	static bool done;
	uint64_t pa;

	if (done)
		return;
	if (is("leak_frame")) {
		pa = frame_alloc(0, FRAME_ANON);
		done = true;
		kprintf("INJECTED BUG: leaked frame %#llx at the exit of %s[%d]\n",
			(unsigned long long)pa, p->name, p->pid);
	} else if (is("use_after_free")) {
		done = use_after_free(p);
	} else if (is("skip_clear")) {
		done = skip_clear(p);
	}
}

/* The child's first PD entry at a leaf table it shares with its parent
 * gets RW back (the mark stays): the child can write the parent's pages
 * through it. */
static void shared_table_rw(struct proc *parent, struct proc *child)
{
	uint64_t *pdpt, *pd, *pml4 = P2V(mm_root(child->mm));

	for (int i = 0; i < PT_USER_SLOTS; i++) {
		if (!(pml4[i] & PTE_P))
			continue;
		pdpt = P2V(PTE_ADDR(pml4[i]));
		for (int j = 0; j < PT_ENTRIES; j++) {
			if (!(pdpt[j] & PTE_P) || (pdpt[j] & PTE_PS))
				continue;
			pd = P2V(PTE_ADDR(pdpt[j]));
			for (int k = 0; k < PT_ENTRIES; k++) {
				if (!pde_is_shared(pd[k]))
					continue;
				pd[k] |= PTE_RW;
				kprintf("INJECTED BUG: %s[%d]'s PD entry for "
					"%#llx, at the leaf table it shares with "
					"%s[%d], left writable\n", child->name,
					child->pid, (unsigned long long)
					(((uint64_t)i << 39) | ((uint64_t)j << 30) |
					 ((uint64_t)k << 21)), parent->name,
					parent->pid);
				return;
			}
		}
	}
}

/* inject=cow_writable: the first copy-on-write PTE of a writable mapping
 * of child, and the parent's for the same VA (under ptshare=0: with
 * shared leaf tables the child has no COW PTE of its own). */
void inject_fork(struct proc *parent, struct proc *child)
{
	int level;

	if (is("shared_table_rw"))
		shared_table_rw(parent, child);
	if (!is("cow_writable"))
		return;
	for (struct vma *v = child->mm->vmas.head; v; v = v->next)
		for (uint64_t va = v->start; (v->prot & VMA_WRITE) && va < v->end;
		     va += PAGE_SIZE) {
			uint64_t *c = pt_walk(mm_root(child->mm), va, &level);
			uint64_t *pp = pt_walk(mm_root(parent->mm), va, &level);

			if (!c || !pp || !(*c & PTE_P) || !(*c & PTE_SW_COW))
				continue;
			*c = (*c | PTE_RW) & ~PTE_SW_COW;
			*pp = (*pp | PTE_RW) & ~PTE_SW_COW;
			env_tlb_flush_page(mm_root(parent->mm), va);
			kprintf("INJECTED BUG: COW page at %#llx left writable "
				"in %s[%d] and %s[%d]\n", (unsigned long long)va,
				parent->name, parent->pid, child->name, child->pid);
			return;
		}
}
