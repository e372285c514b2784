/*
 * pwx.c: the page-walk experiment's hypercalls.
 *
 * HC_PWX_RESULT collects the guest's records (an empty batch starts the
 * clock); HC_PWX_DONE judges them (pwx_report.c) against the SDM, and on
 * kvm_pvm also against that backend's recorded profile, prints the table,
 * the mismatches and the runtime, and stops the VM with VMM_EXIT_AUDIT
 * if any mismatch is unexplained.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guest/abi.h"
#include "mm/x86.h"
#include "vmm/backend.h"
#include "vmm/mark.h"
#include "vmm/audit/audit_vm.h"
#include "vmm/pwx/pwx.h"
#include "vmm/stats.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define PWX_MAX_RECS  (1u << 16)

static struct {
	struct pwx_rec *recs;
	size_t n, cap;
	double t0_ms;
	uint64_t insn0;
	bool started;
} pwx;

int pwx_hc_result(struct vcpu *vcpu, struct hcall *h)
{
	uint64_t count = h->arg[1];
	const struct pwx_rec *src;

	if (count > PWX_BATCH || pwx.n + count > PWX_MAX_RECS) {
		h->ret = -EINVAL;
		return VMM_CONTINUE;
	}
	src = vm_gpa(vcpu->vm, h->arg[0], count * sizeof(*src));
	if (!src) {
		h->ret = -EFAULT;
		return VMM_CONTINUE;
	}
	if (!pwx.started) {
		pwx.started = true;
		pwx.t0_ms = mark_elapsed_ms();
		pwx.insn0 = stats_read(vcpu->stats, "insn_emulation");
	}
	if (pwx.n + count > pwx.cap) {
		size_t ncap = pwx.cap ? pwx.cap * 2 : 4096;
		struct pwx_rec *p;

		while (ncap < pwx.n + count)
			ncap *= 2;
		p = realloc(pwx.recs, ncap * sizeof(*p));
		if (!p) {
			h->ret = -ENOMEM;
			return VMM_CONTINUE;
		}
		pwx.recs = p;
		pwx.cap = ncap;
	}
	if (count)      /* the first batch is empty (the start marker) */
		memcpy(pwx.recs + pwx.n, src, count * sizeof(*src));
	pwx.n += count;
	h->ret = 0;
	return VMM_CONTINUE;
}

int pwx_hc_done(struct vcpu *vcpu, struct hcall *h)
{
	double ms = mark_elapsed_ms() - pwx.t0_ms;
	uint64_t insns = stats_read(vcpu->stats, "insn_emulation") - pwx.insn0;
	uint64_t cr4 = h->arg[1];
	const struct pwx_profile *p = NULL;
	struct pwx_summary s;
	char backend[256];
	size_t bad;

	backend_describe(backend, sizeof(backend));
	p = pwx_profile_for(backend);
	vmm_err("pwx: page-walk experiment on %s; comparing with the SDM%s%s%s",
		backend, p ? " and the recorded profile of " : "",
		p ? p->backend : "", p ? "" : " alone");
	fflush(stdout);
	bad = pwx_judge(pwx.recs, pwx.n, p, true, stderr, &s);
	if (audit_vm_wants_html(vcpu)) {        /* the matrix in the page */
		char *body = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&body, &len);

		if (f) {
			pwx_html(f, pwx.recs, pwx.n, p, backend, &s);
			if (fclose(f) == 0)
				audit_vm_html_section(vcpu, body, len);
			else
				free(body);
		}
	}
	if (h->arg[0] != pwx.n) {
		vmm_err("pwx: the guest sent %llu records, the VMM got %zu",
			(unsigned long long)h->arg[0], pwx.n);
		bad++;
	}
	if (cr4 & (CR4_SMEP | CR4_SMAP | CR4_PKE)) {
		vmm_err("pwx: CR4 0x%llx has SMEP, SMAP or PKE set: the model "
			"assumes them clear", (unsigned long long)cr4);
		bad++;
	}
	vmm_err("pwx: %zu accesses in %.0f ms (%.1f us each), %llu emulated "
		"instructions (%.0f per access)", pwx.n, ms,
		pwx.n ? ms * 1000.0 / (double)pwx.n : 0.0,
		(unsigned long long)insns,
		pwx.n ? (double)insns / (double)pwx.n : 0.0);
	free(pwx.recs);
	memset(&pwx, 0, sizeof(pwx));
	h->ret = (int64_t)bad;
	if (bad) {
		vmm_err("pwx: %zu unexplained mismatches: failing the run", bad);
		return VMM_EXIT_AUDIT;
	}
	return VMM_CONTINUE;
}
