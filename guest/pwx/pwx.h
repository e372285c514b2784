/*
 * pwx.h: the page-walk experiment (boot option experiment=pagewalk).
 *
 * The kernel enumerates PTE and PDE flag combinations, CR0.WP and
 * EFER.NXE, performs reads, writes and instruction fetches from ring 0
 * and ring 3 through them, and reports every outcome (success or #PF and
 * its error code, and the A/D bits the MMU left) to the host, which
 * judges them against the Intel SDM (vmm/pwx/).  Records: guest/abi.h.
 */
#ifndef GUEST_PWX_H
#define GUEST_PWX_H

#include "guest/trapframe.h"

/*
 * Run the whole matrix, before any process exists and with interrupts
 * off.  Leaves the kernel's page tables, CR0, CR4, EFER and TSS.RSP0 as it
 * found them.  Returns the host's count of unexplained mismatches (the
 * host stops the VM itself when there are any).
 */
int pwx_run(void);

/*
 * The experiment's trap handling, while its own IDT is loaded: a trap an
 * experiment access raised is recorded and the access resumed after
 * (pwx_trap returns 1); pwx_trap_entry hands any other to the kernel.
 */
int pwx_trap(struct trapframe *tf);
void pwx_trap_entry(struct trapframe *tf);

#endif /* GUEST_PWX_H */
