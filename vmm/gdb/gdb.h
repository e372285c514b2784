/*
 * gdb.h: a gdb remote-protocol stub for the one vCPU (--gdb PORT or
 * --gdb unix:PATH).  The VMM waits for the debugger before the guest's
 * first instruction and serves it whenever the guest stops: at a
 * breakpoint or after a single step (KVM_EXIT_DEBUG), or when the
 * debugger sends Ctrl-C while the guest runs.
 *
 * Breakpoints: debug registers DR0-DR3 through KVM_SET_GUEST_DEBUG where
 * they fire; in a guest of QEMU TCG's SVM, which fires neither them nor a
 * #BP intercept, an int3 written into guest memory, which the kernel's
 * own #BP handler hands to the VMM (HC_DEBUG_TRAP); stepping on from
 * there is the trap flag in the trapframe, and the kernel's #DB handler
 * hands that back the same way.
 *
 * What it serves: the registers (general, segment, x87/SSE from
 * KVM_GET_FPU, and CR0, CR2, CR3, CR4 and EFER through its target
 * description), guest memory by virtual address, translated by the
 * host's own page walk (vmm/audit/walk.h) through the current CR3,
 * breakpoints and single-step through KVM_SET_GUEST_DEBUG (debug
 * registers DR0-DR3; int3 only where those do not fire, a guest of QEMU
 * TCG's SVM), continue, detach and kill, and
 * monitor commands: walk VA, maps PID, audit, frames, regs.
 *
 * The run loop calls it; it never trusts a packet: every length and
 * number is checked, and a malformed packet gets an error reply.
 */
#ifndef VMM_GDB_H
#define VMM_GDB_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * Listen on where ("PORT", "HOST:PORT" or "unix:PATH"), wait for the
 * debugger, and serve it until it resumes the guest.  Returns
 * VMM_CONTINUE, or the status to exit with (the debugger killed the
 * guest, or the timeout fired).  Dies with VMM_EXIT_SETUP when it cannot
 * listen.
 */
int gdb_start(struct vcpu *vcpu, const char *where);

/* Whether a debugger is attached. */
bool gdb_attached(void);

/* KVM_EXIT_DEBUG: a breakpoint or a single step.  Serves the debugger;
 * returns VMM_CONTINUE or the status to exit with. */
int gdb_debug_exit(struct vcpu *vcpu);

/* KVM_RUN was interrupted: if the debugger asked (Ctrl-C), stop and
 * serve it (returns VMM_CONTINUE or a status) and set *handled. */
int gdb_interrupted(struct vcpu *vcpu, bool *handled);

/* HC_DEBUG_TRAP: the kernel's #BP or #DB handler hands over the trap
 * (trapframe at kernel VA tf).  Sets *taken (whether a debugger took it)
 * and serves the debugger; returns VMM_CONTINUE or a status. */
int gdb_debug_trap(struct vcpu *vcpu, uint64_t tf, int64_t *taken);

/* The guest ended with status: tell the debugger ("W" packet), close. */
void gdb_finish(int status);

#endif /* VMM_GDB_H */
