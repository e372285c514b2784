/*
 * prefault.c: see prefault.h.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/kvm.h>

#include "vmm/kvm.h"
#include "vmm/prefault.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

/* Linux 6.10's uapi, for older headers (Debian 12 has 6.1's). */
#ifndef KVM_CAP_PRE_FAULT_MEMORY
#define KVM_CAP_PRE_FAULT_MEMORY 236
struct kvm_pre_fault_memory {
	__u64 gpa;
	__u64 size;
	__u64 flags;
	__u64 padding[5];
};
#define KVM_PRE_FAULT_MEMORY _IOWR(KVMIO, 0xd5, struct kvm_pre_fault_memory)
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

bool prefault_stage2_supported(struct kvm *kvm, struct vm *vm)
{
	(void)kvm;
	return kvm_check_cap(vm->fd, KVM_CAP_PRE_FAULT_MEMORY) > 0;
}

int prefault_host(struct vm *vm)
{
	if (madvise(vm->ram, vm->ram_size, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL) {
		vmm_err("--prefault: populating guest RAM: %s", strerror(errno));
		return -1;
	}
	/* before Linux 5.14: touch a byte of every page (RAM is zero) */
	for (uint64_t off = 0; off < vm->ram_size; off += 4096)
		((volatile uint8_t *)vm->ram)[off] = 0;
	return 0;
}

int prefault_stage2(struct vcpu *vcpu)
{
	struct kvm_pre_fault_memory r = { .gpa = 0, .size = vcpu->vm->ram_size };

	/* KVM advances gpa and size as it goes; a signal or a reschedule
	 * returns early (EINTR, EAGAIN) with the rest still to do */
	while (r.size) {
		if (ioctl(vcpu->fd, KVM_PRE_FAULT_MEMORY, &r) == 0)
			continue;
		if (errno == EINTR || errno == EAGAIN)
			continue;
		vmm_err("--prefault: KVM_PRE_FAULT_MEMORY at GPA %#llx: %s",
			(unsigned long long)r.gpa, strerror(errno));
		return -1;
	}
	return 0;
}
