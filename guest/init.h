/*
 * init.h: the kernel's own "init": starts the boot-image programs chosen by
 * run= (all of them by default), one after another or all at once
 * (sched=), and stops the VM with the last one's status when all are done.
 */
#ifndef INIT_H
#define INIT_H

struct proc;

void init_start(void);
/* Called by proc_exit for every process. */
void init_proc_exited(struct proc *p);
/* No process left and none still to start. */
int init_all_done(void);
_Noreturn void init_shutdown(void);

#endif /* INIT_H */
