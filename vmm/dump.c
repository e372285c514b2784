/*
 * dump.c: register dump for crashes and timeouts.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <linux/kvm.h>

#include "vmm/console.h"
#include "vmm/dump.h"
#include "vmm/kvm.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define DUMP_CODE_BYTES 16

static const char *const dump_vector_names[32] = {
	[0] = "#DE", [1] = "#DB", [2] = "NMI", [3] = "#BP", [4] = "#OF",
	[5] = "#BR", [6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS",
	[11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
	[17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
};

typedef unsigned long long ull;

static const char *dump_vector_name(unsigned v)
{
	return v < 32 && dump_vector_names[v] ? dump_vector_names[v] : "?";
}

static void dump_regs(struct vcpu *vcpu, FILE *out, struct kvm_regs *r)
{
	if (kvm_ioctl_try(vcpu->fd, KVM_GET_REGS, r) < 0) {
		fprintf(out, "vmm: KVM_GET_REGS failed: %s\n", strerror(errno));
		memset(r, 0, sizeof(*r));
		return;
	}
	fprintf(out, "vmm: RIP=%016llx RSP=%016llx RBP=%016llx\n",
		(ull)r->rip, (ull)r->rsp, (ull)r->rbp);
	fprintf(out, "vmm: RAX=%016llx RBX=%016llx RCX=%016llx RDX=%016llx\n",
		(ull)r->rax, (ull)r->rbx, (ull)r->rcx, (ull)r->rdx);
	fprintf(out, "vmm: RSI=%016llx RDI=%016llx R8 =%016llx R9 =%016llx\n",
		(ull)r->rsi, (ull)r->rdi, (ull)r->r8, (ull)r->r9);
	fprintf(out, "vmm: R10=%016llx R11=%016llx R12=%016llx R13=%016llx\n",
		(ull)r->r10, (ull)r->r11, (ull)r->r12, (ull)r->r13);
	fprintf(out, "vmm: R14=%016llx R15=%016llx RFLAGS=%08llx\n",
		(ull)r->r14, (ull)r->r15, (ull)r->rflags);
}

static void dump_sregs(struct vcpu *vcpu, FILE *out)
{
	struct kvm_sregs s;

	if (kvm_ioctl_try(vcpu->fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(out, "vmm: KVM_GET_SREGS failed: %s\n",
			strerror(errno));
		return;
	}
	fprintf(out, "vmm: CR0=%08llx CR2=%016llx CR3=%016llx CR4=%08llx "
		"EFER=%llx\n", (ull)s.cr0, (ull)s.cr2, (ull)s.cr3,
		(ull)s.cr4, (ull)s.efer);
	fprintf(out, "vmm: CS=%04x SS=%04x (CPL %u) GDT=%llx/%x IDT=%llx/%x "
		"TR=%04x\n", s.cs.selector, s.ss.selector, s.cs.dpl,
		(ull)s.gdt.base, s.gdt.limit, (ull)s.idt.base, s.idt.limit,
		s.tr.selector);
}

static void dump_events(struct vcpu *vcpu, FILE *out)
{
	struct kvm_vcpu_events ev;

	if (kvm_ioctl_try(vcpu->fd, KVM_GET_VCPU_EVENTS, &ev) < 0) {
		fprintf(out, "vmm: KVM_GET_VCPU_EVENTS failed: %s\n",
			strerror(errno));
		return;
	}
	if (ev.exception.injected || ev.exception.pending) {
		fprintf(out, "vmm: exception: vector %u (%s)", ev.exception.nr,
			dump_vector_name(ev.exception.nr));
		if (ev.exception.has_error_code)
			fprintf(out, " error code 0x%x",
				ev.exception.error_code);
		fprintf(out, "%s%s\n", ev.exception.injected ? " injected" : "",
			ev.exception.pending ? " pending" : "");
	} else {
		fprintf(out, "vmm: exception: none pending or injected\n");
	}
	if (ev.interrupt.injected)
		fprintf(out, "vmm: interrupt: vector %u injected\n",
			ev.interrupt.nr);
}

/* The bytes at RIP, through the guest's own page tables. */
static void dump_code(struct vcpu *vcpu, FILE *out, uint64_t rip)
{
	struct kvm_translation tr = { .linear_address = rip };
	uint64_t room = 0x1000 - (rip & 0xfff);
	uint64_t n = room < DUMP_CODE_BYTES ? room : DUMP_CODE_BYTES;
	uint8_t *p;

	if (kvm_ioctl_try(vcpu->fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid) {
		fprintf(out, "vmm: code: RIP not mapped\n");
		return;
	}
	p = vm_gpa(vcpu->vm, tr.physical_address, n);
	if (!p) {
		fprintf(out, "vmm: code: RIP at GPA %llx, outside RAM\n",
			(ull)tr.physical_address);
		return;
	}
	fprintf(out, "vmm: code at GPA %llx:", (ull)tr.physical_address);
	for (uint64_t i = 0; i < n; i++)
		fprintf(out, " %02x", p[i]);
	fprintf(out, "\n");
}

void dump_vcpu(struct vcpu *vcpu, FILE *out)
{
	struct kvm_regs r;

	dump_regs(vcpu, out, &r);
	dump_sregs(vcpu, out);
	dump_events(vcpu, out);
	dump_code(vcpu, out, r.rip);
}

int dump_crash(struct vcpu *vcpu, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	console_flush();
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vmm_err("%s", reason);
	dump_vcpu(vcpu, stderr);
	return VMM_EXIT_CRASH;
}
