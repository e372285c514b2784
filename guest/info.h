/* info.h: the memory manager's view, printed on the console (dump=). */
#ifndef INFO_H
#define INFO_H

struct proc;

/* p's /proc/PID/maps listing (p->mm must be live). */
void info_print_maps(struct proc *p);
/* Every frame mapped by more than one PTE, with its mappers (rmap). */
void info_print_rmap(void);
/* The vmstat counters, "name value" per line. */
void info_print_vmstat(void);

#endif /* INFO_H */
