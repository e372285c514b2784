/*
 * run.h: the vCPU run loop.
 */
#ifndef VMM_RUN_H
#define VMM_RUN_H

struct vcpu;

/*
 * Run the vCPU until the guest exits (HC_EXIT: its status), crashes
 * (VMM_EXIT_CRASH, after the diagnostics) or times out (VMM_EXIT_TIMEOUT).
 * Returns the status the vmm process should exit with.
 */
int run_loop(struct vcpu *vcpu);

/* "KVM_EXIT_IO" etc., or "unknown" for a reason this VMM has no name for. */
const char *run_exit_name(unsigned reason);

#endif /* VMM_RUN_H */
