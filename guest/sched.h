/* sched.h: a preemptive round-robin scheduler on one CPU. */
#ifndef SCHED_H
#define SCHED_H

/* The scheduler loop, on the boot stack; never returns. */
_Noreturn void sched_run(void);
/* Give up the CPU; the current process stays runnable. */
void sched_yield(void);
/* Switch to the scheduler; the caller set current's state already. */
void sched_switch(void);

#endif /* SCHED_H */
