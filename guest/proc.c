/*
 * proc.c: the process table.  A process is a slot, a kernel stack that
 * starts with a trapframe at its top, and an address space (struct mm).
 *
 * A new process's kernel stack is laid out so that the first swtch() to it
 * "returns" into trapret, which pops the trapframe and irets to ring 3:
 *
 *   kstack + KSTACK_SIZE -> +-----------------+
 *                           | struct trapframe| user rip, rsp, cs, ss...
 *                           +-----------------+
 *                           | trapret         | swtch's return address
 *                           | rbp rbx r12-r15 | callee-saved, zero
 *              p->ksp ----> +-----------------+
 */
#include "cmdline.h"
#include "console.h"
#include "info.h"
#include "inject.h"
#include "gdt.h"
#include "hcall.h"
#include "init.h"
#include "kstring.h"
#include "memlayout.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "panic.h"
#include "proc.h"
#include "sys_res.h"
#include "sched.h"
#include "trap.h"
#include "x86.h"

struct proc proc_table[NPROC];
static struct proc *current;
struct mm *proc_active;
static int next_pid = 1;
extern uint64_t kernel_root;          /* main.c: the kernel's own PML4 */

/* fxsave image of a freshly reset FPU: FCW 0x37f, MXCSR 0x1f80. */
void proc_fpu_init_state(uint8_t *area)
{
	memset(area, 0, 512);
	*(uint16_t *)area = 0x37f;
	*(uint32_t *)(area + 24) = 0x1f80;
}

struct proc *proc_current(void)
{
	return current;
}

struct proc *proc_find(int pid)
{
	for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
		if (p->state != P_UNUSED && p->state != P_ZOMBIE && p->pid == pid)
			return p;
	return NULL;
}

void proc_set_current(struct proc *p)
{
	current = p;
}

void proc_activate_mm(struct mm *mm)
{
	if (mm == proc_active)
		return;
	lcr3(mm ? mm_root(mm) : kernel_root);
	proc_active = mm;
}


struct proc *proc_alloc(const char *name, int ppid)
{
	struct proc *p;
	uint64_t pa, *sp;

	for (p = proc_table; p < proc_table + NPROC; p++)
		if (p->state == P_UNUSED)
			break;
	if (p == proc_table + NPROC)
		return NULL;
	pa = frame_alloc(KSTACK_ORDER, FRAME_KERNEL);
	if (!pa)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->pid = next_pid++;
	p->ppid = ppid;
	strlcpy(p->name, name, sizeof(p->name));
	p->kstack = (uint64_t)P2V(pa);
	p->tf = (struct trapframe *)(p->kstack + KSTACK_SIZE) - 1;
	/* The stack frames are reused uncleared: without this the new
	   process would start with a dead process's registers. */
	memset(p->tf, 0, sizeof(*p->tf));
	p->tf->cs = SEL_UCODE;
	p->tf->ss = SEL_UDATA;
	p->tf->rflags = RFLAGS_IF | RFLAGS_FIXED;
	sp = (uint64_t *)p->tf;
	*--sp = (uint64_t)trapret;
	for (int i = 0; i < 6; i++)
		*--sp = 0;
	p->ksp = (uint64_t)sp;
	proc_fpu_init_state(p->fpu);
	sig_init(&p->sig);
	res_init(p);
	return p;
}

void proc_free(struct proc *p)
{
	if (p->kstack)
		frame_free(V2P(p->kstack));
	p->kstack = 0;
	p->state = P_UNUSED;
}

/*
 * A zombie's kernel stack is freed as soon as it is no longer running on
 * it; its slot (pid, status) stays until the parent reaps it, unless it
 * has no parent to do so (started by the kernel, or orphaned).
 */
void proc_zombie_switched_out(struct proc *p)
{
	frame_free(V2P(p->kstack));
	p->kstack = 0;
	if (p->ppid == 0)
		p->state = P_UNUSED;
}

int proc_any_alive(void)
{
	for (struct proc *p = proc_table; p < proc_table + NPROC; p++)
		if (p->state != P_UNUSED)
			return 1;
	return 0;
}

/*
 * p's children get the first process (pid 1) as parent, as Linux gives
 * them to init; when pid 1 is itself gone, nobody will wait for them, and
 * zombies among them are freed now.
 */
static void reparent_children(struct proc *p)
{
	struct proc *init = proc_find(1);
	int new_ppid = init && init != p ? 1 : 0;

	for (struct proc *c = proc_table; c < proc_table + NPROC; c++) {
		if (c->state == P_UNUSED || c->ppid != p->pid)
			continue;
		c->ppid = new_ppid;
		if (c->state == P_ZOMBIE && new_ppid == 0)
			c->state = P_UNUSED;   /* its stack is already free */
	}
	if (new_ppid)
		proc_wake_parent(init);
}

/* Wake parent if it sleeps in wait4. */
void proc_wake_parent(struct proc *parent)
{
	if (parent && parent->state == P_WAITING)
		parent->state = P_RUNNABLE;
}

void proc_exit(struct proc *p, int status)
{
	if (p != current)
		panic("proc_exit: pid %d is not the current process", p->pid);
	/* Leave the address space before tearing it down. */
	if (kopts.dump_maps)
		info_print_maps(p);
	proc_activate_mm(NULL);
	/* The host audits the address space one last time, then forgets it. */
	hcall(HC_AS_DESTROY, (uint64_t)p->pid, frame_count_free(), 0);
	res_exit(p);
	mm_destroy(p->mm);
	p->mm = NULL;
	inject_exit(p);
	for (int fd = 0; fd < NOFILE; fd++)
		if (p->files[fd]) {
			file_put(p->files[fd]);
			p->files[fd] = NULL;
		}
	p->status = status;
	p->state = P_ZOMBIE;
	reparent_children(p);
	if (p->ppid)
		proc_wake_parent(proc_find(p->ppid));
	init_proc_exited(p);
	sched_switch();
	panic("proc_exit: zombie %d was scheduled", p->pid);
}


