/*
 * frames.c: see frames.h.  Everything the user page tables reach is
 * classified from the tables alone; the rest is the kernel's or free, and
 * the kernel's last free count (HC_AS_DESTROY / HC_CHECKPOINT) splits it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "mm/pte.h"
#include "vmm/audit/frames.h"
#include "vmm/registry.h"
#include "vmm/vmm.h"

static void census_table(void *arg, uint64_t gpa, int level)
{
	struct frame_census *c = arg;
	uint64_t f = gpa >> PAGE_SHIFT;

	if (f < c->nframes && !(c->kind[f] & FRAME_K_PAGETABLE)) {
		c->kind[f] |= FRAME_K_PAGETABLE;
		c->level[f] = (uint8_t)(level + 1);   /* walk counts from 0 */
		c->pagetable++;
	}
}

static int census_leaf(void *arg, const struct walk_leaf *l)
{
	struct frame_census *c = arg;
	const struct registry *reg = c->reg;

	for (uint64_t off = 0; off < l->size; off += PAGE_SIZE) {
		uint64_t f = (l->pa + off) >> PAGE_SHIFT;
		uint8_t k;

		if (f >= c->nframes)
			continue;
		k = reg->has_zero_page && l->pa + off == reg->zero_page ?
		    FRAME_K_ZERO : FRAME_K_ANON;
		if (k == FRAME_K_ANON && (l->pte & PTE_SW_SHARED))
			k |= FRAME_K_SHARED;
		if (!(c->kind[f] & k & (FRAME_K_ZERO | FRAME_K_ANON))) {
			if (k & FRAME_K_ZERO)
				c->zero++;
			else
				c->anon++;
		}
		if ((k & FRAME_K_SHARED) && !(c->kind[f] & FRAME_K_SHARED))
			c->shared++;
		c->kind[f] |= k;
		if (!c->maps[f]) {
			c->first_pid[f] = c->walking_pid;
			c->first_va[f] = l->va + off;
		}
		if (c->maps[f] != UINT16_MAX)
			c->maps[f]++;
	}
	return 0;
}

int frames_census(struct frame_census *c, const struct registry *reg,
		  const struct gmem *m,
		  const struct walk_mode *mode)
{
	struct walk_visitor v = {
		.leaf = census_leaf, .table = census_table, .arg = c,
	};

	*c = (struct frame_census){ .reg = reg, .nframes = m->size >> PAGE_SHIFT };
	c->kind = calloc(c->nframes, sizeof(*c->kind));
	c->maps = calloc(c->nframes, sizeof(*c->maps));
	c->level = calloc(c->nframes, sizeof(*c->level));
	c->first_pid = calloc(c->nframes, sizeof(*c->first_pid));
	c->first_va = calloc(c->nframes, sizeof(*c->first_va));
	if (!c->kind || !c->maps || !c->level || !c->first_pid ||
	    !c->first_va) {
		frames_census_free(c);
		return -1;
	}
	for (int i = 0; i < reg->nas; i++)
		if (reg->as[i].alive) {
			c->walking_pid = reg->as[i].pid;
			if (walk_user(m, mode, reg->as[i].root, &v) < 0) {
				frames_census_free(c);
				return -1;
			}
		}
	return 0;
}

void frames_census_free(struct frame_census *c)
{
	free(c->kind);
	free(c->maps);
	free(c->level);
	free(c->first_pid);
	free(c->first_va);
	c->kind = NULL;
	c->maps = NULL;
	c->level = NULL;
	c->first_pid = c->first_va = NULL;
}

void frames_print_summary(const struct frame_census *c, const char *where)
{
	const struct registry *reg = c->reg;
	uint64_t seen = c->pagetable + c->zero + c->anon;
	uint64_t rest = c->nframes > seen ? c->nframes - seen : 0;

	if (reg->has_frames_free && reg->frames_free <= rest)
		vmm_err("frames at %s: %llu total: %llu free, %llu zero page, "
			"%llu anonymous (%llu of them shared), %llu page table, "
			"%llu kernel", where, (unsigned long long)c->nframes,
			(unsigned long long)reg->frames_free,
			(unsigned long long)c->zero, (unsigned long long)c->anon,
			(unsigned long long)c->shared,
			(unsigned long long)c->pagetable,
			(unsigned long long)(rest - reg->frames_free));
	else
		vmm_err("frames at %s: %llu total: %llu zero page, %llu "
			"anonymous (%llu of them shared), %llu page table, %llu "
			"kernel or free (no free count from the kernel yet)",
			where, (unsigned long long)c->nframes,
			(unsigned long long)c->zero, (unsigned long long)c->anon,
			(unsigned long long)c->shared,
			(unsigned long long)c->pagetable, (unsigned long long)rest);
}
