/*
 * audit_vm.h: the auditor attached to the running VM: the hooks the run
 * loop and the hypercall handlers call, and the end-of-run report.  Its
 * state (struct audit_vm, private) hangs off struct vmm (vmm/state.h).
 * Every hook does nothing when the audit is off (--audit off).
 */
#ifndef VMM_AUDIT_VM_H
#define VMM_AUDIT_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cli;
struct vcpu;

/*
 * Attach the auditor to vcpu's VM as cli asks, before the guest runs.
 * cmdline is the kernel command line the VMM built (for "clear=").  Turns
 * on dirty logging of the RAM memslot for the incremental audit.  Dies
 * with VMM_EXIT_SETUP on failure.
 */
/* The memslot flags the auditor needs (dirty logging for incremental
   audits), to pass to vm_create. */
uint32_t audit_vm_slot_flags(const struct cli *cli);

void audit_vm_setup(const struct cli *cli, struct vcpu *vcpu,
		    const char *cmdline);

/* After every KVM_RUN exit: note the CR3 the guest runs with. */
void audit_vm_exit_seen(struct vcpu *vcpu);

/* Hypercall hooks. */
void audit_vm_zero_page(struct vcpu *vcpu);
void audit_vm_checkpoint(struct vcpu *vcpu);
/* Before the registry forgets pid: audit its (still intact) tables. */
void audit_vm_as_destroy(struct vcpu *vcpu, uint64_t pid);
/* After the registry changed (create or destroy). */
void audit_vm_registry_changed(struct vcpu *vcpu);

/*
 * The guest stopped with status: final audit, --walk of live processes,
 * leak and CR3 checks, the summary line and the JSON report.  Returns the
 * status to exit with: VMM_EXIT_AUDIT on a violation, unless status says
 * the guest crashed or timed out.
 */
int audit_vm_finish(struct vcpu *vcpu, int status);

/* --report html: whether the page is wanted, and a <section> for it
 * (body, len bytes, taken over and freed), placed after the audit
 * points. */
bool audit_vm_wants_html(struct vcpu *vcpu);
void audit_vm_html_section(struct vcpu *vcpu, char *body, size_t len);

/* An audit pass now, at point where (the debugger's "monitor audit"):
 * 0 and the violations found so far, or -1 when the audit is off. */
int audit_vm_now(struct vcpu *vcpu, const char *where, uint64_t *violations);

#endif /* VMM_AUDIT_VM_H */
