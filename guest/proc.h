/* proc.h: processes, each with its own address space and kernel stack. */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include "file.h"
#include "sig.h"
#include "trapframe.h"

#define NPROC        64
#define PROC_NAME    16
#define KSTACK_ORDER 2                     /* 16 KiB kernel stack */
#define KSTACK_SIZE  (4096ULL << KSTACK_ORDER)

/* Linux wait-status encoding (WIFEXITED / WIFSIGNALED). */
#define PROC_STATUS_EXITED(code)  (((code) & 0xff) << 8)
#define PROC_STATUS_SIGNALED(sig) ((sig) & 0x7f)

enum proc_state {
	P_UNUSED,
	P_RUNNABLE,
	P_RUNNING,
	P_SLEEPING,     /* nanosleep: until wake_tick */
	P_WAITING,      /* wait4: until a child changes state */
	P_BLOCKED,      /* until sched_wakeup(wait_chan) (pipes) */
	P_ZOMBIE,       /* exited; its parent has not reaped it yet */
};

struct mm;

/* What getrusage reports of a process, and of its reaped children. */
struct proc_usage {
	uint64_t ticks;         /* timer ticks it was running at */
	uint64_t faults_before; /* page faults of images exec replaced */
	uint64_t faults, maxrss;/* final values, set at exit (bytes) */
	uint64_t child_ticks, child_faults, child_maxrss;
};

#define PROC_NRLIMIT 16

struct proc {
	enum proc_state state;
	int pid, ppid;
	int boot_program;       /* started by the kernel (init.c counts it),
				   not an orphan whose ppid became 0 */
	char name[PROC_NAME];
	struct mm *mm;
	uint64_t kstack;        /* lowest address of the kernel stack */
	uint64_t ksp;           /* saved kernel stack pointer (swtch) */
	struct trapframe *tf;   /* user registers, top of the kernel stack */
	int status;             /* wait status once a zombie */
	uint64_t wake_tick;     /* P_SLEEPING until sched_ticks reaches this */
	struct file *files[NOFILE]; /* open files (file.h) */
	uint8_t fd_cloexec[NOFILE]; /* FD_CLOEXEC of each descriptor */
	void *wait_chan;        /* P_BLOCKED: what it waits for */
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */
	struct sigstate sig;    /* actions, masks, alternate stack (sig.h) */
	struct proc_usage usage;        /* getrusage (sys_res.c) */
	uint64_t rlim[PROC_NRLIMIT][2]; /* getrlimit: soft, hard */
};

extern struct proc proc_table[NPROC];

struct proc *proc_current(void);
/* The live process with that pid, or NULL. */
struct proc *proc_find(int pid);
void proc_set_current(struct proc *p);

/*
 * A new process in state P_RUNNABLE-to-be (caller sets it): a pid, a
 * kernel stack holding a zeroed user trapframe, and a context that returns
 * through trapret.  No address space yet.  NULL if out of slots or memory.
 */
struct proc *proc_alloc(const char *name, int ppid);
/* An fxsave image of a freshly reset FPU (FCW 0x37f, MXCSR 0x1f80). */
void proc_fpu_init_state(uint8_t *area);

/* Release what proc_alloc took (kernel stack, slot); not the mm. */
void proc_free(struct proc *p);
/* The scheduler has switched away from zombie p for the last time. */
void proc_zombie_switched_out(struct proc *p);
/* Make parent runnable if it sleeps in wait4. */
void proc_wake_parent(struct proc *parent);
/* Is there any process left, in any state? */
int proc_any_alive(void);

/*
 * Load mm's page tables (NULL: the kernel's own) unless already loaded.
 * The page-fault handler resolves kernel accesses to user memory against
 * the active mm, which is not always the current process's (exec builds a
 * new image with its mm active).
 */
void proc_activate_mm(struct mm *mm);

/* The mm whose tables are loaded (NULL: the kernel's); set only by
   proc_activate_mm.  Inline: the page-fault path reads it every time. */
extern struct mm *proc_active;

static inline struct mm *proc_active_mm(void)
{
	return proc_active;
}

/* Terminate p (the current process) with a wait status; never returns. */
_Noreturn void proc_exit(struct proc *p, int status);

#endif /* PROC_H */
