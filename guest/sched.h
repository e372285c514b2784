/* sched.h: a preemptive round-robin scheduler on one CPU. */
#ifndef SCHED_H
#define SCHED_H

/* The scheduler loop, on the boot stack; never returns. */
_Noreturn void sched_run(void);
/* Give up the CPU; the current process stays runnable. */
void sched_yield(void);
/* Switch to the scheduler; the caller set current's state already. */
void sched_switch(void);

#include <stdint.h>

struct proc;
/* Bring p's saved FPU/SSE image up to date (fork copies it). */
void sched_fpu_save(struct proc *p);

/* Give p a freshly reset FPU/SSE state (execve), live if it owns the FPU. */
void sched_fpu_reset(struct proc *p);

/* Make image (an fxsave image, MXCSR valid) p's FPU/SSE state
 * (rt_sigreturn), live if it owns the FPU. */
void sched_fpu_load(struct proc *p, const uint8_t *image);

/* Timer ticks since boot (one per quantum). */
extern uint64_t sched_ticks;

/* The timer interrupt: count the tick, wake sleepers whose time came. */
void sched_tick(void);
/* Sleep the current process for at least ticks timer ticks. */
void sched_sleep(uint64_t ticks);
/* p has a signal to take: if it sleeps or waits, make it runnable (its
 * nanosleep or wait4 returns EINTR, the signal acts on the way out). */
void sched_wake_signal(struct proc *p);

/* Block the current process until sched_wakeup(chan) (or a signal:
 * sched_wake_signal); callers recheck their condition in a loop. */
void sched_block(void *chan);
void sched_wakeup(void *chan);

#endif /* SCHED_H */
