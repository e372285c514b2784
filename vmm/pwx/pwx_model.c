/*
 * pwx_model.c: what the Intel SDM (vol. 3, chapter 4) says an access
 * through a given PDE/PTE pair does, with 4-level paging and CR4.SMEP,
 * SMAP and PKE clear.
 *
 * The walk, in the order the MMU does it (PML4E and PDPTE are P RW US,
 * never the cause):
 *   - an entry with P clear: #PF, error P=0 (4.7); nothing else in it
 *     matters, reserved bits included;
 *   - a present entry with bit 63 set while EFER.NXE is clear: bit 63 is
 *     reserved (4.5.4, table 4-19): #PF with P=1 and RSVD=1; so does
 *     an address bit at or above MAXPHYADDR, or bit 13 of a 2 MiB leaf
 *     (PWX_E_RSV);
 *   - a PDE with PS is the leaf; otherwise the PTE is checked the same way.
 * Access rights (4.6), RW and US AND-ed, NX OR-ed over the levels:
 *   - CPL 3 needs US everywhere; a write also RW everywhere; a fetch
 *     also NX nowhere (when NXE);
 *   - CPL 0 reads anything; writes need RW everywhere only with CR0.WP;
 *     fetches need NX nowhere (when NXE) and, without SMEP, may run
 *     user pages.
 *   A violation is a #PF with P=1.
 * Error code (4.7): W = a write, U = CPL 3, RSVD as above, I = an
 * instruction fetch with EFER.NXE set (or SMEP, which is off).
 * A/D (4.8): a successful access sets A in every entry it used and, for
 * a write, D in the leaf.  A faulting access leaves the 4 KiB leaf alone
 * (kvm-unit-tests' access.c checks this on hardware too); whether the
 * processor set A in a present PDE it went through before the fault (or
 * in a 2 MiB leaf PDE that faulted) is not defined, so that bit is
 * "any".  D is never set by a fault, nor ever in a non-leaf PDE.
 */
#include "vmm/pwx/pwx.h"
#include "mm/pte.h"

static uint8_t pwx_fault(struct pwx_expect *e, uint8_t err)
{
	e->outcome = PWX_PF;
	e->err = err;
	return err;
}

void pwx_model(const struct pwx_rec *r, struct pwx_expect *e)
{
	int acc = PWX_MODE_ACC(r->mode);
	int kind = PWX_ACC_KIND(acc), user = PWX_ACC_USER(acc);
	bool wp = r->mode & PWX_M_WP, nxe = r->mode & PWX_M_NXE;
	bool ps = r->pde & PWX_E_PS;
	uint8_t err = (uint8_t)((kind == 1 ? PF_ERR_W : 0) |
				(user ? PF_ERR_U : 0) |
				(kind == 2 && nxe ? PF_ERR_I : 0));
	bool rw, us, nx, ok;

	*e = (struct pwx_expect){ .outcome = PWX_OK, .pte_after = r->pte,
				  .pde_after = r->pde };

	if (!(r->pde & PWX_E_P)) {
		pwx_fault(e, err);
		return;
	}
	if (((r->pde & PWX_E_NX) && !nxe) || (r->pde & PWX_E_RSV)) {
		pwx_fault(e, err | PF_ERR_P | PF_ERR_RSVD);
		e->pde_any = PWX_E_A;
		return;
	}
	rw = r->pde & PWX_E_RW;
	us = r->pde & PWX_E_US;
	nx = r->pde & PWX_E_NX;
	if (!ps) {
		if (!(r->pte & PWX_E_P)) {
			pwx_fault(e, err);
			e->pde_any = PWX_E_A;
			return;
		}
		if (((r->pte & PWX_E_NX) && !nxe) || (r->pte & PWX_E_RSV)) {
			pwx_fault(e, err | PF_ERR_P | PF_ERR_RSVD);
			e->pde_any = PWX_E_A;
			return;
		}
		rw = rw && (r->pte & PWX_E_RW);
		us = us && (r->pte & PWX_E_US);
		nx = nx || (r->pte & PWX_E_NX);
	}

	if (user)
		ok = us && (kind != 1 || rw) && (kind != 2 || !nx);
	else
		ok = (kind != 1 || !wp || rw) && (kind != 2 || !nx);
	if (!ok) {
		pwx_fault(e, err | PF_ERR_P);
		e->pde_any = PWX_E_A;
		return;
	}

	e->pde_after |= PWX_E_A;
	if (ps) {
		if (kind == 1)
			e->pde_after |= PWX_E_D;
	} else {
		e->pte_after |= PWX_E_A;
		if (kind == 1)
			e->pte_after |= PWX_E_D;
	}
}

unsigned pwx_compare(const struct pwx_rec *r, const struct pwx_expect *e)
{
	unsigned diff = 0;

	if (r->outcome != e->outcome)
		diff |= PWX_X_OUTCOME;
	else if (r->outcome == PWX_PF && r->err != e->err)
		diff |= PWX_X_ERR;
	if ((r->pte_after ^ e->pte_after) & ~e->pte_any)
		diff |= PWX_X_PTE;
	if ((r->pde_after ^ e->pde_after) & ~e->pde_any)
		diff |= PWX_X_PDE;
	if (r->note & PWX_N_CR2)
		diff |= PWX_X_CR2;
	return diff;
}

const struct pwx_quirk *pwx_explain(const struct pwx_profile *p,
				    const struct pwx_rec *r,
				    const struct pwx_expect *e, unsigned diff)
{
	if (!p || !diff)
		return NULL;
	for (int i = 0; i < p->nquirks; i++)
		if (p->quirks[i].match(r, e, diff))
			return &p->quirks[i];
	return NULL;
}
