/*
 * vcpu.c: KVM_CREATE_VCPU, CPUID, and the 64-bit entry state.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "vmm/kvm.h"
#include "vmm/stats.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"
#include "vmm/x86.h"

/* Flat selectors the boot state uses (GDT slots 1, 2, 3). */
#define SEL_KERNEL_CS  0x08
#define SEL_KERNEL_DS  0x10
#define SEL_TSS        0x18

/* MAXPHYADDR when CPUID has no leaf 0x80000008 (SDM: 36). */
#define VCPU_DEFAULT_MAXPHYADDR 36

#define ENTRY_CR0  (CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG)
#define ENTRY_CR4  (CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT)
#define ENTRY_EFER (EFER_LME | EFER_LMA | EFER_NXE)

/*
 * Hand the guest every CPUID leaf KVM supports on this host.  The table
 * size is not known in advance: grow until KVM stops saying E2BIG.
 */
static void vcpu_set_cpuid(struct vcpu *vcpu)
{
	struct kvm_cpuid2 *cpuid = NULL;
	int nent = 64;

	for (;;) {
		cpuid = realloc(cpuid, sizeof(*cpuid) +
				nent * sizeof(struct kvm_cpuid_entry2));
		if (!cpuid)
			vmm_die(VMM_EXIT_SETUP, "out of memory for CPUID");
		memset(cpuid, 0, sizeof(*cpuid));
		cpuid->nent = nent;
		if (kvm_ioctl_try(vcpu->vm->kvm->fd, KVM_GET_SUPPORTED_CPUID,
				  cpuid) == 0)
			break;
		if (errno != E2BIG || nent >= 4096)
			vmm_die(VMM_EXIT_SETUP,
				"KVM_GET_SUPPORTED_CPUID failed: %s",
				strerror(errno));
		nent *= 2;
	}
	kvm_ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid);
	vcpu->maxphyaddr = VCPU_DEFAULT_MAXPHYADDR;
	for (unsigned i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == 0x80000008 &&
		    (cpuid->entries[i].eax & 0xff) >= 32)
			vcpu->maxphyaddr = cpuid->entries[i].eax & 0xff;
	free(cpuid);
}

void vcpu_create(struct vcpu *vcpu, struct vm *vm, int id)
{
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = kvm_ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);

	vcpu->run_size = (size_t)vm->kvm->vcpu_mmap_size;
	vcpu->run = mmap(NULL, vcpu->run_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED, vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		vmm_die(VMM_EXIT_SETUP, "cannot map kvm_run: %s",
			strerror(errno));

	vcpu_set_cpuid(vcpu);

	if (vm->kvm->has_stats) {
		vcpu->stats = stats_open(vcpu->fd);
		if (!vcpu->stats)
			vmm_info("vCPU stats unavailable: KVM_GET_STATS_FD: %s",
				 strerror(errno));
	}
}

/* A flat 64-bit segment register: base 0, limit 4 GiB, present. */
static struct kvm_segment vcpu_flat_seg(uint16_t sel, uint8_t type, int code)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = type,
		.present = 1,
		.dpl = 0,
		.db = 0,        /* must be 0 with L=1 */
		.s = 1,
		.l = code,
		.g = 1,
	};
}

void vcpu_set_entry(struct vcpu *vcpu, const struct vcpu_entry *e)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	kvm_ioctl(vcpu->fd, KVM_GET_SREGS, &sregs);

	sregs.cs = vcpu_flat_seg(SEL_KERNEL_CS, SEG_TYPE_CODE_XR, 1);
	sregs.ds = vcpu_flat_seg(SEL_KERNEL_DS, SEG_TYPE_DATA_RW, 0);
	sregs.es = sregs.ds;
	sregs.fs = sregs.ds;
	sregs.gs = sregs.ds;
	sregs.ss = sregs.ds;

	/* VM entry (VMX) insists on a usable busy TSS in long mode even if
	 * the guest never switches stacks; the kernel loads its own. */
	sregs.tr = (struct kvm_segment){
		.base = 0,
		.limit = SEG_TSS64_LIMIT,
		.selector = SEL_TSS,
		.type = SEG_TYPE_TSS64_BUSY,
		.present = 1,
		.s = 0,
	};
	sregs.ldt = (struct kvm_segment){ .unusable = 1 };

	/* No GDT/IDT in guest memory: the kernel loads its own before it
	 * reloads a segment register or takes an exception (an exception
	 * before that is a triple fault, which the VMM reports). */
	sregs.gdt.base = 0;
	sregs.gdt.limit = 0;
	sregs.idt.base = 0;
	sregs.idt.limit = 0;

	sregs.cr0 = ENTRY_CR0;
	sregs.cr4 = ENTRY_CR4;
	sregs.cr3 = e->cr3;
	sregs.efer = ENTRY_EFER;
	kvm_ioctl(vcpu->fd, KVM_SET_SREGS, &sregs);

	memset(&regs, 0, sizeof(regs));
	regs.rflags = RFLAGS_FIXED;     /* IF=0: interrupts off */
	regs.rip = e->rip;
	regs.rsp = e->rsp;
	regs.rdi = e->rdi;
	kvm_ioctl(vcpu->fd, KVM_SET_REGS, &regs);
}

int vcpu_translate(struct vcpu *vcpu, uint64_t va, uint64_t *pa)
{
	struct kvm_translation tr = { .linear_address = va };

	if (kvm_ioctl_try(vcpu->fd, KVM_TRANSLATE, &tr) < 0)
		return -errno;
	*pa = tr.physical_address;
	return tr.valid ? 1 : 0;
}

void vcpu_destroy(struct vcpu *vcpu)
{
	stats_close(vcpu->stats);
	vcpu->stats = NULL;
	if (vcpu->run && vcpu->run != MAP_FAILED)
		munmap(vcpu->run, vcpu->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}
