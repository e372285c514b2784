/* sys_res.h: resource accounting and limits of a process (sys_res.c). */
#ifndef SYS_RES_H
#define SYS_RES_H

struct proc;

/* Linux's resource numbers, those the kernel names. */
enum { RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_NOFILE = 7,
       RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9 };

/* A new process's limits (Linux's usual defaults; fork copies them). */
void res_init(struct proc *p);
/* p exits: keep its final counts for its parent's getrusage. */
void res_exit(struct proc *p);
/* parent reaps c: add c's counts to parent's children's. */
void res_reap(struct proc *parent, const struct proc *c);
/* Enforce p's limit r on its address space (after exec too). */
void res_apply(struct proc *p, int r);
/* wait4's rusage of c, to user memory: 0 or -EFAULT. */
int res_copy_child_usage(void *uru, const struct proc *c);

#endif /* SYS_RES_H */
