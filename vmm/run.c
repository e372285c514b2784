/*
 * run.c: KVM_RUN and the exit handlers.
 *
 * The loop is one switch that hands each exit reason to one handler.
 * Every handler returns VMM_CONTINUE or the status to exit with; the ones
 * that stop the guest print why (and the register dump) themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/kvm.h>

#include "vmm/audit/audit_vm.h"
#include "vmm/console.h"
#include "vmm/dump.h"
#include "vmm/gdb/gdb.h"
#include "vmm/io.h"
#include "vmm/kvm.h"
#include "vmm/run.h"
#include "vmm/timeout.h"
#include "vmm/vcpu.h"
#include "vmm/vmm.h"

typedef unsigned long long ull;

#define RUN_EXIT_NAME(r) [r] = #r
static const char *const run_exit_names[] = {
	RUN_EXIT_NAME(KVM_EXIT_UNKNOWN),
	RUN_EXIT_NAME(KVM_EXIT_EXCEPTION),
	RUN_EXIT_NAME(KVM_EXIT_IO),
	RUN_EXIT_NAME(KVM_EXIT_HYPERCALL),
	RUN_EXIT_NAME(KVM_EXIT_DEBUG),
	RUN_EXIT_NAME(KVM_EXIT_HLT),
	RUN_EXIT_NAME(KVM_EXIT_MMIO),
	RUN_EXIT_NAME(KVM_EXIT_IRQ_WINDOW_OPEN),
	RUN_EXIT_NAME(KVM_EXIT_SHUTDOWN),
	RUN_EXIT_NAME(KVM_EXIT_FAIL_ENTRY),
	RUN_EXIT_NAME(KVM_EXIT_INTR),
	RUN_EXIT_NAME(KVM_EXIT_SET_TPR),
	RUN_EXIT_NAME(KVM_EXIT_TPR_ACCESS),
	RUN_EXIT_NAME(KVM_EXIT_S390_SIEIC),
	RUN_EXIT_NAME(KVM_EXIT_S390_RESET),
	RUN_EXIT_NAME(KVM_EXIT_DCR),
	RUN_EXIT_NAME(KVM_EXIT_NMI),
	RUN_EXIT_NAME(KVM_EXIT_INTERNAL_ERROR),
	RUN_EXIT_NAME(KVM_EXIT_OSI),
	RUN_EXIT_NAME(KVM_EXIT_PAPR_HCALL),
	RUN_EXIT_NAME(KVM_EXIT_S390_UCONTROL),
	RUN_EXIT_NAME(KVM_EXIT_WATCHDOG),
	RUN_EXIT_NAME(KVM_EXIT_S390_TSCH),
	RUN_EXIT_NAME(KVM_EXIT_EPR),
	RUN_EXIT_NAME(KVM_EXIT_SYSTEM_EVENT),
	RUN_EXIT_NAME(KVM_EXIT_S390_STSI),
	RUN_EXIT_NAME(KVM_EXIT_IOAPIC_EOI),
	RUN_EXIT_NAME(KVM_EXIT_HYPERV),
	RUN_EXIT_NAME(KVM_EXIT_ARM_NISV),
	RUN_EXIT_NAME(KVM_EXIT_X86_RDMSR),
	RUN_EXIT_NAME(KVM_EXIT_X86_WRMSR),
	RUN_EXIT_NAME(KVM_EXIT_DIRTY_RING_FULL),
	RUN_EXIT_NAME(KVM_EXIT_AP_RESET_HOLD),
	RUN_EXIT_NAME(KVM_EXIT_X86_BUS_LOCK),
	RUN_EXIT_NAME(KVM_EXIT_XEN),
	RUN_EXIT_NAME(KVM_EXIT_RISCV_SBI),
	RUN_EXIT_NAME(KVM_EXIT_RISCV_CSR),
	RUN_EXIT_NAME(KVM_EXIT_NOTIFY),
};

static const char *const run_internal_names[] = {
	[KVM_INTERNAL_ERROR_EMULATION] = "emulation failure",
	[KVM_INTERNAL_ERROR_SIMUL_EX] = "exception while delivering an exception",
	[KVM_INTERNAL_ERROR_DELIVERY_EV] = "exit while delivering an event",
	[KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON] = "unexpected exit reason",
};

#define RUN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *run_exit_name(unsigned reason)
{
	if (reason < RUN_ARRAY_SIZE(run_exit_names) && run_exit_names[reason])
		return run_exit_names[reason];
	return "unknown";
}

/* KVM_RUN was interrupted by a signal: the timeout, or nothing to us. */
static int run_interrupted(struct vcpu *vcpu)
{
	bool handled;
	int outcome;

	if (!timeout_expired()) {
		outcome = gdb_interrupted(vcpu, &handled);  /* Ctrl-C? */
		return handled ? outcome : VMM_CONTINUE;
	}
	console_flush();
	vmm_err("guest timed out after %g s", timeout_seconds());
	dump_vcpu(vcpu, stderr);
	return VMM_EXIT_TIMEOUT;
}

static int run_hlt(struct vcpu *vcpu)
{
	return dump_crash(vcpu, "guest halted: HLT reached the VMM (with the "
			  "in-kernel irqchip it should not; stop the guest "
			  "with HC_EXIT)");
}

static int run_shutdown(struct vcpu *vcpu)
{
	return dump_crash(vcpu, "guest triple fault (KVM_EXIT_SHUTDOWN)");
}

static int run_internal_error(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	unsigned sub = run->internal.suberror;
	char data[256] = "";
	size_t len = 0;

	for (unsigned i = 0; i < run->internal.ndata && i < 16; i++)
		len += (size_t)snprintf(data + len, sizeof(data) - len,
					" %llx", (ull)run->internal.data[i]);
	return dump_crash(vcpu, "KVM internal error: suberror %u (%s), "
			  "%u data:%s", sub,
			  sub < RUN_ARRAY_SIZE(run_internal_names) &&
			  run_internal_names[sub] ? run_internal_names[sub] :
			  "unknown", run->internal.ndata, data);
}

static int run_fail_entry(struct vcpu *vcpu)
{
	return dump_crash(vcpu, "VM entry failed: hardware entry failure "
			  "reason 0x%llx (cpu %u)",
			  (ull)vcpu->run->fail_entry.hardware_entry_failure_reason,
			  vcpu->run->fail_entry.cpu);
}

static int run_mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint64_t val = 0;

	if (run->mmio.is_write) {
		memcpy(&val, run->mmio.data,
		       run->mmio.len < 8 ? run->mmio.len : 8);
		return dump_crash(vcpu, "unexpected MMIO write at GPA 0x%llx, "
				  "%u bytes, value 0x%llx",
				  (ull)run->mmio.phys_addr, run->mmio.len,
				  (ull)val);
	}
	return dump_crash(vcpu, "unexpected MMIO read at GPA 0x%llx, %u bytes",
			  (ull)run->mmio.phys_addr, run->mmio.len);
}

/* A hardware breakpoint or a single step: the debugger's (--gdb). */
static int run_debug(struct vcpu *vcpu)
{
	if (!gdb_attached())
		return dump_crash(vcpu, "debug exit (KVM_EXIT_DEBUG) with no "
				  "debugger attached");
	return gdb_debug_exit(vcpu);
}

static int run_unhandled(struct vcpu *vcpu)
{
	unsigned reason = vcpu->run->exit_reason;

	return dump_crash(vcpu, "unhandled exit reason %s (%u)",
			  run_exit_name(reason), reason);
}

int run_loop(struct vcpu *vcpu)
{
	int outcome;

	do {
		if (kvm_ioctl_try(vcpu->fd, KVM_RUN, NULL) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				outcome = run_interrupted(vcpu);
			else
				outcome = dump_crash(vcpu, "KVM_RUN failed: %s",
						     strerror(errno));
			continue;
		}
		audit_vm_exit_seen(vcpu);
		switch (vcpu->run->exit_reason) {
		case KVM_EXIT_IO:             outcome = io_handle(vcpu); break;
		case KVM_EXIT_INTR:           outcome = run_interrupted(vcpu); break;
		case KVM_EXIT_HLT:            outcome = run_hlt(vcpu); break;
		case KVM_EXIT_SHUTDOWN:       outcome = run_shutdown(vcpu); break;
		case KVM_EXIT_INTERNAL_ERROR: outcome = run_internal_error(vcpu); break;
		case KVM_EXIT_FAIL_ENTRY:     outcome = run_fail_entry(vcpu); break;
		case KVM_EXIT_MMIO:           outcome = run_mmio(vcpu); break;
		case KVM_EXIT_DEBUG:          outcome = run_debug(vcpu); break;
		default:                      outcome = run_unhandled(vcpu); break;
		}
	} while (outcome == VMM_CONTINUE);
	return outcome;
}
