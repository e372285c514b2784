/*
 * vm.h: the virtual machine: its fd, guest RAM and in-kernel irqchip.
 */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <stdint.h>

struct kvm;

struct vmm;

struct vm {
	int fd;
	struct kvm *kvm;
	struct vmm *vmm;        /* the VMM this VM belongs to (state.h) */
	uint8_t *ram;           /* host address of GPA 0 */
	uint64_t ram_size;      /* bytes; RAM is GPA [0, ram_size) */
	uint32_t slot_flags;    /* memslot 0 flags actually in force */
};

/*
 * Create a VM with ram_size bytes of RAM at GPA 0 (memslot 0) and the
 * in-kernel irqchip.  Dies with VMM_EXIT_SETUP on failure.
 */
void vm_create(struct vm *vm, struct kvm *kvm, uint64_t ram_size,
	       uint32_t slot_flags);

/*
 * Register (or replace) memslot slot: size bytes at gpa backed by host.
 * flags: 0 or KVM_MEM_LOG_DIRTY_PAGES / KVM_MEM_READONLY.  Returns 0 or
 * -errno.
 */
int vm_set_memslot(struct vm *vm, uint32_t slot, uint64_t gpa, void *host,
		   uint64_t size, uint32_t flags);

/*
 * Host pointer to the guest range [gpa, gpa + len), or NULL if any of it
 * is outside RAM.  The guest is untrusted: every GPA it hands over goes
 * through here (overflow-safe).
 */
void *vm_gpa(const struct vm *vm, uint64_t gpa, uint64_t len);

/*
 * KVM_GET_DIRTY_LOG of memslot slot into bitmap (one bit per 4 KiB page of
 * the slot, in 64-bit words; the slot must have KVM_MEM_LOG_DIRTY_PAGES).
 * KVM clears the log as it hands it over.  Returns 0 or -errno.
 */
int vm_get_dirty_log(struct vm *vm, uint32_t slot, uint64_t *bitmap);

void vm_destroy(struct vm *vm);

#endif /* VMM_VM_H */
