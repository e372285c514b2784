/*
 * pwx_profile_qemu_npt.c: how the nested host's kvm_amd with nested
 * paging (NPT) differs from the manuals in the page-walk experiment.
 *
 * With NPT, KVM runs the guest with VMRUN and lets the "hardware" walk
 * the guest's page tables.  Inside the nested host that hardware is QEMU's
 * TCG, so every access of the experiment is translated by QEMU's x86 page
 * walker (target/i386/tcg/sysemu/excp_helper.c, mmu_translate()), not by
 * KVM and not by a real CPU.  With npt=0 KVM's own shadow-paging walker
 * does it instead, and all 13968 accesses agree with the SDM.
 *
 * Measured in the nested host (QEMU 7.2 TCG -cpu max, Debian 6.1
 * kvm_amd npt=1), every mismatch falls under one rule:
 *
 *   "#PF error code lacks P on a reserved-bit fault": 4104 of 13968
 *   accesses; the smallest case is PDE = P|NX with EFER.NXE clear (bit 63
 *   is then reserved), a supervisor read: the manuals give error code
 *   0x9 (P|RSVD), QEMU delivers 0x8 (RSVD).  Every access that reaches a
 *   reserved bit shows it, at either level, under every CR0.WP/EFER.NXE
 *   mode, as 0x8/0xa/0xc/0xe/0x18/0x1c for 0x9/0xb/0xd/0xf/0x19/0x1d.
 *
 * What the manuals say: the P bit of the #PF error code is 0 only when
 * the fault was caused by a not-present entry (Intel SDM vol. 3A, 4.7,
 * "P flag (bit 0). This flag is 0 if there is no translation for the
 * linear address because the P flag was 0 in one of the paging-structure
 * entries"; AMD APM vol. 2, 8.4.2, "P: If this bit is cleared to 0, the
 * page fault was caused by a not-present page").  A reserved-bit
 * violation is found in a present entry, so P is 1 with RSVD, as
 * kvm-unit-tests' x86/access expects on hardware.  QEMU's walker sets
 * only PG_ERROR_RSVD_MASK at its do_fault_rsvd label; kvm-unit-tests'
 * access test under plain QEMU TCG fails on exactly these error codes
 * (PLATFORM.md), so this is QEMU's emulation, not KVM's nor ours.
 *
 * The other thing this backend does differently is allowed by both
 * manuals and left open by the model: QEMU sets A in each non-leaf entry
 * as it walks through it, before it looks at the next level, so a
 * faulting access leaves A set in the PDE (7704 of 11040 cases here, 0
 * on kvm_pvm and under nested shadow paging).
 *
 * The quirk matches only that exact difference: a reserved-bit #PF whose
 * error code is the expected one without P, with the outcome, the other
 * error-code bits, A/D and CR2 as the SDM says.
 */
#include "mm/pte.h"
#include "vmm/pwx/pwx.h"

static bool pwx_rsvd_without_p(const struct pwx_rec *r,
			       const struct pwx_expect *e, unsigned diff)
{
	return diff == PWX_X_ERR && e->outcome == PWX_PF &&
	       r->outcome == PWX_PF && (e->err & PF_ERR_RSVD) &&
	       (e->err & PF_ERR_P) && r->err == (e->err & ~PF_ERR_P);
}

static const struct pwx_quirk pwx_qemu_npt_quirks[] = {
	{
		.name = "rsvd-fault-without-P",
		.why = "QEMU TCG's page walker reports a reserved-bit #PF "
		       "with RSVD but without P; the Intel SDM (4.7) and "
		       "the AMD APM (8.4.2) set P for any fault not caused "
		       "by a not-present entry",
		.match = pwx_rsvd_without_p,
	},
};

static const char *const pwx_qemu_npt_needs[] = {
	"kvm_amd", "NPT on", "inside QEMU TCG", NULL };

const struct pwx_profile pwx_profile_qemu_npt = {
	.backend = "kvm_amd with NPT inside QEMU TCG",
	.quirks = pwx_qemu_npt_quirks,
	.nquirks = 1,
	.needs = pwx_qemu_npt_needs,
};
