/*
 * pwx_profile_pvm.c: how kvm_pvm (software virtualization, shadow
 * paging, guest kernel run by KVM's instruction emulator) is known to
 * differ from the SDM in the page-walk experiment.  Each quirk must match
 * exactly the records it explains and say why; anything else that
 * differs is a failure.
 *
 * Measured on the development host (kvm_pvm, tdp_mmu=N): all 13968
 * accesses of the matrix (582 entry pairs x 4 CR0.WP/EFER.NXE modes x
 * ring-0/ring-3 read, write, fetch) agree with the SDM model, error
 * codes, CR2 and A/D bits included, so there is nothing to explain and
 * the profile is empty.  Where the SDM leaves the result open (may a
 * faulting access set A in a PDE it went through?) this backend never
 * did (0 of 11040 cases), consistent with KVM's software walker
 * (arch/x86/kvm/mmu/paging_tmpl.h) writing A/D bits only after a whole
 * walk succeeded; hardware may differ.  The model treats that bit as
 * open, and pwx_report.c prints the observed count.
 */
#include "vmm/pwx/pwx.h"

static const char *const pwx_pvm_needs[] = { "kvm_pvm", NULL };

const struct pwx_profile pwx_profile_pvm = {
	.backend = "kvm_pvm",
	.quirks = NULL,
	.nquirks = 0,
	.needs = pwx_pvm_needs,
};
