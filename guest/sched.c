/*
 * sched.c: round robin over runnable processes, xv6 style: each process
 * switches to the scheduler context (on the boot stack) and the scheduler
 * switches to the next one.  The LAPIC timer preempts ring 3; the kernel
 * itself runs with interrupts off and is never preempted.
 *
 * Per switch the scheduler loads the next process's CR3 (skipped when it
 * is already loaded), its TSS.RSP0, and its FPU/SSE state (fxsave/fxrstor
 * only when a different process last used the FPU).
 */
#include <stddef.h>
#include "gdt.h"
#include "hcall.h"
#include "init.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "panic.h"
#include "proc.h"
#include "kstring.h"
#include "sched.h"
#include "x86.h"

void swtch(uint64_t *old_sp, uint64_t new_sp);

/* Frames the idle loop clears per timer tick. */
#define IDLE_CLEAR_BATCH 32

uint64_t sched_ticks;
static unsigned nr_sleeping;           /* skip the wake-up scan when 0 */
static uint64_t sched_sp;              /* the scheduler's saved stack */
static struct proc *fpu_owner;         /* whose state is in the FPU */
static unsigned rr_next;               /* round-robin cursor */

static struct proc *pick_next(void)
{
	for (unsigned i = 0; i < NPROC; i++) {
		struct proc *p = &proc_table[(rr_next + i) % NPROC];

		if (p->state == P_RUNNABLE) {
			rr_next = (unsigned)(p - proc_table) + 1;
			return p;
		}
	}
	return NULL;
}

void sched_fpu_save(struct proc *p)
{
	if (fpu_owner == p)
		__asm__ volatile("fxsave64 %0" : "=m"(p->fpu));
}

void sched_fpu_reset(struct proc *p)
{
	proc_fpu_init_state(p->fpu);
	if (fpu_owner == p)
		__asm__ volatile("fxrstor64 %0" : : "m"(p->fpu));
}

void sched_fpu_load(struct proc *p, const uint8_t *image)
{
	memcpy(p->fpu, image, sizeof(p->fpu));
	if (fpu_owner == p)
		__asm__ volatile("fxrstor64 %0" : : "m"(p->fpu));
}

static void fpu_switch(struct proc *p)
{
	if (fpu_owner == p)
		return;
	if (fpu_owner)
		__asm__ volatile("fxsave64 %0" : "=m"(fpu_owner->fpu));
	__asm__ volatile("fxrstor64 %0" : : "m"(p->fpu));
	fpu_owner = p;
}

static void run(struct proc *p)
{
	static int first_user = 1;

	if (first_user) {
		/* timestamp for the VMM: boot cost up to the first user entry */
		hcall_mark(MARK_FIRST_USER);
		first_user = 0;
	}
	proc_set_current(p);
	p->state = P_RUNNING;
	gdt_set_kernel_stack(p->kstack + KSTACK_SIZE);
	proc_activate_mm(p->mm);
	fpu_switch(p);
	swtch(&sched_sp, p->ksp);
	proc_set_current(NULL);
	if (p->state == P_ZOMBIE) {
		if (fpu_owner == p)
			fpu_owner = NULL;
		proc_zombie_switched_out(p);
	}
}

void sched_run(void)
{
	for (;;) {
		struct proc *p = pick_next();

		if (p) {
			run(p);
			continue;
		}
		if (init_all_done())
			init_shutdown();
		/* Nothing to run: pre-clear one batch of free frames
		   (clear=idle), then halt until the next interrupt.  One batch
		   per timer tick keeps a woken sleeper's latency to a tick
		   (the kernel takes interrupts only in hlt). */
		if (frame_clear_policy() == FRAME_CLEAR_IDLE)
			frame_idle_clear_some(IDLE_CLEAR_BATCH);
		sti_hlt();
	}
}

void sched_switch(void)
{
	struct proc *p = proc_current();

	swtch(&p->ksp, sched_sp);
}

void sched_yield(void)
{
	struct proc *p = proc_current();

	p->state = P_RUNNABLE;
	sched_switch();
}

void sched_tick(void)
{
	struct proc *cur = proc_current();

	sched_ticks++;
	if (cur)
		cur->usage.ticks++;
	if (!nr_sleeping)
		return;
	for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
		if (p->state == P_SLEEPING && p->wake_tick <= sched_ticks) {
			p->state = P_RUNNABLE;
			nr_sleeping--;
		}
}

void sched_wake_signal(struct proc *p)
{
	if (p->state == P_SLEEPING)
		nr_sleeping--;
	if (p->state == P_SLEEPING || p->state == P_WAITING ||
	    p->state == P_BLOCKED)
		p->state = P_RUNNABLE;
}

void sched_block(void *chan)
{
	struct proc *p = proc_current();

	p->wait_chan = chan;
	p->state = P_BLOCKED;
	sched_switch();
	p->wait_chan = NULL;
}

void sched_wakeup(void *chan)
{
	for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
		if (p->state == P_BLOCKED && p->wait_chan == chan)
			p->state = P_RUNNABLE;
}

void sched_sleep(uint64_t ticks)
{
	struct proc *p = proc_current();

	p->wake_tick = sched_ticks + ticks;
	p->state = P_SLEEPING;
	nr_sleeping++;
	sched_switch();
}
