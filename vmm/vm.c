/*
 * vm.c: KVM_CREATE_VM, guest RAM, irqchip.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "vmm/kvm.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

/*
 * Three pages VMX needs for its real-mode TSS, just below the BIOS area at
 * the top of 4 GiB (the address QEMU and kvmtool use); far above our RAM.
 */
#define VM_TSS_ADDR 0xfffbd000UL

int vm_set_memslot(struct vm *vm, uint32_t slot, uint64_t gpa, void *host,
		   uint64_t size, uint32_t flags)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (kvm_ioctl_try(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -errno;
	return 0;
}

int vm_get_dirty_log(struct vm *vm, uint32_t slot, uint64_t *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot, .dirty_bitmap = bitmap };

	if (kvm_ioctl_try(vm->fd, KVM_GET_DIRTY_LOG, &log) < 0)
		return -errno;
	return 0;
}

void vm_create(struct vm *vm, struct kvm *kvm, uint64_t ram_size,
	       uint32_t slot_flags)
{
	int r;

	memset(vm, 0, sizeof(*vm));
	vm->kvm = kvm;
	vm->fd = kvm_ioctl(kvm->fd, KVM_CREATE_VM, 0);

	if (kvm->has_tss_addr)
		kvm_ioctl(vm->fd, KVM_SET_TSS_ADDR, VM_TSS_ADDR);

	/* NORESERVE: the guest touches a fraction of its RAM; don't make
	 * the host commit all of it up front. */
	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED)
		vmm_die(VMM_EXIT_SETUP, "cannot map %llu MiB of guest RAM: %s",
			(unsigned long long)(ram_size >> 20), strerror(errno));
	vm->ram_size = ram_size;

	/* Dirty logging is requested here, on the empty slot: turning it on
	   later, after the kernel is loaded, costs milliseconds at start on
	   a shadow-paging host.  Without it the auditor rescans in full. */
	r = vm_set_memslot(vm, 0, 0, vm->ram, ram_size, slot_flags);
	if (r < 0 && slot_flags) {
		vmm_info("memslot flags %#x refused (%s): no dirty logging",
			 slot_flags, strerror(-r));
		slot_flags = 0;
		r = vm_set_memslot(vm, 0, 0, vm->ram, ram_size, 0);
	}
	vm->slot_flags = slot_flags;
	if (r < 0)
		vmm_die(VMM_EXIT_SETUP, "KVM_SET_USER_MEMORY_REGION failed: %s",
			strerror(-r));

	/* Before any vCPU: the LAPIC is created with the vCPU. */
	kvm_ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0);
}

void *vm_gpa(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa > vm->ram_size || len > vm->ram_size - gpa)
		return NULL;
	return vm->ram + gpa;
}

void vm_destroy(struct vm *vm)
{
	if (vm->ram && vm->ram != MAP_FAILED)
		munmap(vm->ram, vm->ram_size);
	if (vm->fd >= 0)
		close(vm->fd);
	vm->ram = NULL;
	vm->fd = -1;
}
