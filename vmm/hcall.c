/*
 * hcall.c: hypercall dispatch.
 *
 * The guest is untrusted: the block and every buffer it points to are
 * checked against guest RAM (vm_gpa) before being read, and copied out
 * before use.  Bad arguments give the guest an error (-errno in ret); only
 * a bad block itself stops the VM, since there is nowhere to put ret.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "guest/abi.h"
#include "vmm/audit/audit_vm.h"
#include "vmm/dump.h"
#include "vmm/gdb/gdb.h"
#include "vmm/hcall.h"
#include "vmm/pwx/pwx.h"
#include "vmm/registry.h"
#include "vmm/state.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define HCALL_PANIC_MAX 4096    /* bytes of panic message shown */

typedef unsigned long long ull;

/* Each handler sets h->ret and returns VMM_CONTINUE or an exit status. */
typedef int (*hcall_fn)(struct vcpu *vcpu, struct hcall *h);

/*
 * Copy len bytes of guest memory at gpa into dst (cap >= len + 1 bytes),
 * NUL-terminate, and replace anything not printable ASCII with '?'.
 * Returns 0, or -EFAULT if the range is not all RAM.
 */
static int hcall_copy_string(struct vcpu *vcpu, uint64_t gpa, uint64_t len,
			     char *dst)
{
	const uint8_t *src = vm_gpa(vcpu->vm, gpa, len);

	if (!src)
		return -EFAULT;
	for (uint64_t i = 0; i < len; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[len] = '\0';
	return 0;
}

static int hc_exit(struct vcpu *vcpu, struct hcall *h)
{
	(void)vcpu;
	h->ret = 0;
	vmm_info("guest exit, status %llu", (ull)(h->arg[0] & 0xff));
	return (int)(h->arg[0] & 0xff);
}

static int hc_panic(struct vcpu *vcpu, struct hcall *h)
{
	char msg[HCALL_PANIC_MAX + 1];
	uint64_t len = h->arg[1] < HCALL_PANIC_MAX ? h->arg[1] : HCALL_PANIC_MAX;

	const uint8_t *text = vm_gpa(vcpu->vm, h->arg[0], len);

	if (text && len && text[len - 1] == '\n')  /* printk-style ending */
		len--;
	if (hcall_copy_string(vcpu, h->arg[0], len, msg) < 0)
		snprintf(msg, sizeof(msg), "(message at GPA 0x%llx, %llu bytes, "
			 "is outside RAM)", (ull)h->arg[0], (ull)h->arg[1]);
	h->ret = 0;
	return dump_crash(vcpu, "guest panic: %s", msg);
}

static int hc_report(struct vcpu *vcpu, struct hcall *h)
{
	char key[REGISTRY_KEY_MAX + 1];

	if (h->arg[1] == 0 || h->arg[1] > REGISTRY_KEY_MAX) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	if (hcall_copy_string(vcpu, h->arg[0], h->arg[1], key) < 0) {
		h->ret = -EFAULT;
		return VMM_CONTINUE;
	}
	h->ret = registry_report(&vcpu_vmm(vcpu)->registry, key, h->arg[2]);
	/* the kernel's last word on free frames, at shutdown */
	if (!strcmp(key, "frames_free_exit"))
		registry_set_frames_free(&vcpu_vmm(vcpu)->registry, h->arg[2]);
	vmm_info("report: %s=%llu", key, (ull)h->arg[2]);
	return VMM_CONTINUE;
}

static int hc_as_create(struct vcpu *vcpu, struct hcall *h)
{
	uint64_t root = h->arg[2];

	if ((root & 0xfff) || !vm_gpa(vcpu->vm, root, 0x1000)) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	h->ret = registry_as_create(&vcpu_vmm(vcpu)->registry, h->arg[0],
				    h->arg[1], root);
	audit_vm_registry_changed(vcpu);
	return VMM_CONTINUE;
}

static int hc_as_destroy(struct vcpu *vcpu, struct hcall *h)
{
	registry_set_frames_free(&vcpu_vmm(vcpu)->registry, h->arg[1]);
	audit_vm_as_destroy(vcpu, h->arg[0]);   /* tables still intact */
	h->ret = registry_as_destroy(&vcpu_vmm(vcpu)->registry, h->arg[0]);
	audit_vm_registry_changed(vcpu);
	return VMM_CONTINUE;
}

static int hc_zero_page(struct vcpu *vcpu, struct hcall *h)
{
	uint64_t gpa = h->arg[0];

	if ((gpa & 0xfff) || !vm_gpa(vcpu->vm, gpa, 0x1000)) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	registry_set_zero_page(&vcpu_vmm(vcpu)->registry, gpa);
	audit_vm_zero_page(vcpu);
	h->ret = 0;
	return VMM_CONTINUE;
}

static int hc_checkpoint(struct vcpu *vcpu, struct hcall *h)
{
	registry_count_checkpoint(&vcpu_vmm(vcpu)->registry);
	registry_set_frames_free(&vcpu_vmm(vcpu)->registry, h->arg[0]);
	audit_vm_checkpoint(vcpu);
	h->ret = 0;
	return VMM_CONTINUE;
}

/* The kernel's frame descriptors: n of size bytes at gpa, all in RAM. */
static int hc_frame_table(struct vcpu *vcpu, struct hcall *h)
{
	uint64_t gpa = h->arg[0], n = h->arg[1], size = h->arg[2];

	if (!n || !size || size > 4096 || n > vcpu->vm->ram_size / 4096 ||
	    !vm_gpa(vcpu->vm, gpa, n * size)) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	registry_set_frame_table(&vcpu_vmm(vcpu)->registry, gpa, n, size);
	h->ret = 0;
	return VMM_CONTINUE;
}

/* A #BP or #DB in the guest: the debugger's, if one is attached. */
static int hc_debug_trap(struct vcpu *vcpu, struct hcall *h)
{
	return gdb_debug_trap(vcpu, h->arg[0], &h->ret);
}

/* The host's clocks, for the guest's clock_gettime and gettimeofday. */
static int hc_clock(struct vcpu *vcpu, struct hcall *h)
{
	struct timespec ts;

	(void)vcpu;
	if (h->arg[0] != HC_CLOCK_REALTIME && h->arg[0] != HC_CLOCK_MONOTONIC) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	clock_gettime(h->arg[0] == HC_CLOCK_REALTIME ? CLOCK_REALTIME :
		      CLOCK_MONOTONIC, &ts);
	h->ret = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return VMM_CONTINUE;
}

static const hcall_fn hcall_table[HC_NR_CALLS] = {
	[HC_EXIT]       = hc_exit,
	[HC_PANIC]      = hc_panic,
	[HC_REPORT]     = hc_report,
	[HC_AS_CREATE]  = hc_as_create,
	[HC_AS_DESTROY] = hc_as_destroy,
	[HC_ZERO_PAGE]  = hc_zero_page,
	[HC_CHECKPOINT] = hc_checkpoint,
	[HC_PWX_RESULT] = pwx_hc_result,
	[HC_PWX_DONE]   = pwx_hc_done,
	[HC_FRAME_TABLE] = hc_frame_table,
	[HC_DEBUG_TRAP] = hc_debug_trap,
	[HC_CLOCK]      = hc_clock,
};

int hcall_dispatch(struct vcpu *vcpu, uint64_t gpa)
{
	struct hcall *block = vm_gpa(vcpu->vm, gpa, sizeof(struct hcall));
	struct hcall h;
	int outcome;

	if (!block || (gpa & 7))
		return dump_crash(vcpu, "bad hypercall block at GPA 0x%llx "
				  "(%s)", (ull)gpa,
				  block ? "not 8-byte aligned" : "outside RAM");

	memcpy(&h, block, sizeof(h));
	if (h.nr < HC_NR_CALLS && hcall_table[h.nr]) {
		outcome = hcall_table[h.nr](vcpu, &h);
	} else {
		vmm_info("unknown hypercall %llu", (ull)h.nr);
		h.ret = -ENOSYS;
		outcome = VMM_CONTINUE;
	}
	block->ret = h.ret;
	return outcome;
}
