/*
 * vcpu.h: the (single) virtual CPU: fd, shared kvm_run page, entry state.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct kvm_run;
struct stats;

struct vcpu {
	int fd;
	int id;
	struct vm *vm;
	struct kvm_run *run;    /* mmap'ed, kvm->vcpu_mmap_size bytes */
	size_t run_size;
	struct stats *stats;    /* binary stats; NULL when unsupported */
	unsigned maxphyaddr;    /* CPUID 0x80000008 EAX[7:0] given the guest */
};

/*
 * Create vCPU id in vm, map its kvm_run page, give it the host's
 * supported CPUID and open its binary stats (if KVM has them).  Dies with
 * VMM_EXIT_SETUP on failure.
 */
void vcpu_create(struct vcpu *vcpu, struct vm *vm, int id);

/* The register state the boot ABI promises (guest/abi.h). */
struct vcpu_entry {
	uint64_t rip, rsp, rdi, cr3;
};

/*
 * Put the vCPU in 64-bit long mode at CPL 0 with flat segments, paging on
 * with cr3, interrupts off, at e->rip.  Dies with VMM_EXIT_SETUP.
 */
void vcpu_set_entry(struct vcpu *vcpu, const struct vcpu_entry *e);

/*
 * KVM_TRANSLATE va with the vCPU's current paging state.  Returns 1 and
 * *pa when KVM finds a translation, 0 when it finds none, -errno when the
 * ioctl fails.  (KVM reports neither rights nor the fault: only pa.)
 */
int vcpu_translate(struct vcpu *vcpu, uint64_t va, uint64_t *pa);

void vcpu_destroy(struct vcpu *vcpu);

#endif /* VMM_VCPU_H */
