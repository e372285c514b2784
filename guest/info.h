/* info.h: the memory manager's view, printed on the console (dump=). */
#ifndef INFO_H
#define INFO_H

struct proc;

/* p's /proc/PID/maps listing (p->mm must be live). */
void info_print_maps(struct proc *p);
/* The vmstat counters, "name value" per line. */
void info_print_vmstat(void);

#endif /* INFO_H */
