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

void inject_exit(struct proc *p)
{
	static int done;
	uint64_t pa;

	if (!is("leak_frame") || done)
		return;
	pa = frame_alloc(0, FRAME_ANON);
	done = 1;
	kprintf("INJECTED BUG: leaked frame %#llx at the exit of %s[%d]\n",
		(unsigned long long)pa, p->name, p->pid);
}

/* The first copy-on-write PTE of a writable mapping of child, and the
   parent's for the same VA. */
void inject_fork(struct proc *parent, struct proc *child)
{
	int level;

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
