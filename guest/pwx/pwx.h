/*
 * pwx.h: the page-walk experiment (boot option experiment=pagewalk).
 *
 * The kernel enumerates PTE and PDE flag combinations, CR0.WP and
 * EFER.NXE, performs reads, writes and instruction fetches from ring 0
 * and ring 3 through them, and reports every outcome (success or #PF and
 * its error code, and the A/D bits the MMU left) to the host, which
 * judges them against the Intel SDM (vmm/pwx.c).  Records: pwx_abi.h.
 */
#ifndef PWX_H
#define PWX_H

#include "guest/trapframe.h"

/* Nonzero while an experiment access may trap (trap.c asks pwx_trap). */
extern volatile int pwx_active;

/*
 * Run the whole matrix, before any process exists and with interrupts
 * off.  Leaves the kernel's page tables, CR0, CR4, EFER and TSS.RSP0 as it
 * found them.  Returns the host's count of unexplained mismatches (the
 * host stops the VM itself when there are any).
 */
int pwx_run(void);

/*
 * The trap hook: if tf is a trap an experiment access raised, record it,
 * arrange to resume after the access and return 1; else return 0.
 */
int pwx_trap(struct trapframe *tf);

#endif /* PWX_H */
