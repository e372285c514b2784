/*
 * prefault.h: --prefault, guest RAM fully backed before the guest runs.
 *
 * Two layers back a guest page: the host's page behind the VM's memory
 * mapping, and KVM's stage-2 entry (EPT/NPT, or a shadow entry) for it.
 * Both are normally made on the guest's first touch, and that first
 * touch then costs an exit to the host kernel: a cost that belongs to
 * neither the guest kernel nor the program being measured.
 *
 *   prefault_host     populates the host mapping (MADV_POPULATE_WRITE);
 *   prefault_stage2   asks KVM to build the stage-2 entries for all of RAM
 *                     (KVM_PRE_FAULT_MEMORY, Linux 6.10+), on the vCPU.
 *
 * Where KVM lacks KVM_PRE_FAULT_MEMORY (the nested host's Linux 6.1, and
 * kvm_pvm), the kernel is asked to touch every page at boot instead
 * (prefault=ram): the same entries, built before any program runs.
 */
#ifndef VMM_PREFAULT_H
#define VMM_PREFAULT_H

#include <stdbool.h>

struct vm;
struct vcpu;
struct kvm;

/* Can KVM pre-fault stage-2 memory here? */
bool prefault_stage2_supported(struct kvm *kvm, struct vm *vm);

/* 0, or -1 with a message (the VM still runs, lazily backed). */
int prefault_host(struct vm *vm);
int prefault_stage2(struct vcpu *vcpu);

#endif /* VMM_PREFAULT_H */
