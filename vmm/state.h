/*
 * state.h: struct vmm, everything one VMM holds, reached from its vCPU
 * (vcpu->vm->vmm) the way kvmtool's struct kvm is: the command line, the
 * KVM device, the VM and its vCPU, what the guest has announced (the
 * registry) and the auditor's state.  main.c owns the one instance.
 *
 * Two modules keep a static of their own, for a reason: timeout.c's is
 * read by its signal handler, console.c's buffers the one stdout.
 */
#ifndef VMM_STATE_H
#define VMM_STATE_H

#include "vmm/cli.h"
#include "vmm/kvm.h"
#include "vmm/registry.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

struct audit_vm;

struct vmm {
	struct cli cli;
	struct kvm kvm;
	struct vm vm;
	struct vcpu vcpu;
	struct registry registry;
	/* Where the VMM placed the kernel image and the boot image (GPAs,
	 * [start, end)): the frame map names them. */
	uint64_t kernel_start, kernel_end, image_start, image_end;
	struct audit_vm *audit;  /* audit/audit_vm.c's, set by audit_vm_setup */
};

/* The VMM a vCPU belongs to. */
static inline struct vmm *vcpu_vmm(const struct vcpu *vcpu)
{
	return vcpu->vm->vmm;
}

#endif /* VMM_STATE_H */
