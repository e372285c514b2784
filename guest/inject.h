/*
 * inject.h: deliberate memory-manager bugs (inject=NAME on the command
 * line) so the host auditor's negative controls have something to catch.
 * Each one announces itself on the console.
 */
#ifndef INJECT_H
#define INJECT_H

struct proc;

/* After mm_init: inject=zero_write dirties the zero page. */
void inject_boot(void);
/*
 * At a process's exit, after its memory is released (each once):
 * inject=leak_frame leaks one frame; inject=use_after_free frees one
 * copy-on-write frame the parent still maps, leaving the parent's PTE;
 * inject=skip_clear stops the clearing of user pages, so the next
 * faults hand freed frames out as they are.
 */
void inject_exit(struct proc *p);
/* After fork: inject=cow_writable makes one COW page writable in both
 * (boot with ptshare=0); inject=shared_table_rw gives the child's first
 * PD entry at a leaf table shared with the parent RW back. */
void inject_fork(struct proc *parent, struct proc *child);

#endif /* INJECT_H */
