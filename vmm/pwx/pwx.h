/*
 * pwx.h: the host side of the page-walk experiment (guest/pwx.c): the
 * Intel SDM expectation for each access the guest reports, the comparison,
 * the recorded platform profiles, the table and the verdict.
 *
 *   pwx_model.c        the SDM rules: a pure function of one record
 *   pwx_profile*.c     what each backend is known to do differently, and
 *                      why; pwx_profile.c picks the one for this host
 *   pwx_report.c       judge a whole matrix: table, mismatches, summary
 *   pwx.c              the hypercalls (HC_PWX_RESULT, HC_PWX_DONE)
 */
#ifndef VMM_PWX_H
#define VMM_PWX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "guest/abi.h"

struct vcpu;
struct hcall;

/* What the SDM says one access must do. */
struct pwx_expect {
	uint8_t outcome;        /* PWX_OK or PWX_PF */
	uint8_t err;            /* #PF error code (PWX_PF) */
	uint8_t pte_after;      /* PWX_E_* flags after the access */
	uint8_t pde_after;
	uint8_t pte_any;        /* flags whose value after is not defined */
	uint8_t pde_any;
};

/*
 * The expectation for record r (its entries, CR0.WP, EFER.NXE and
 * access), from Intel SDM vol. 3 sections 4.6 (access rights), 4.7
 * (#PF error code) and 4.8 (A/D), with CR4.SMEP, SMAP and PKE clear.
 * Pure: depends on r's inputs only, never its outcome.
 */
void pwx_model(const struct pwx_rec *r, struct pwx_expect *e);

/* How an outcome differs from the expectation (bitmask; 0 = as expected). */
enum {
	PWX_X_OUTCOME = 1 << 0, /* ok vs #PF vs other exception */
	PWX_X_ERR     = 1 << 1, /* both #PF, different error codes */
	PWX_X_PTE     = 1 << 2, /* PTE flags after (A/D) */
	PWX_X_PDE     = 1 << 3, /* PDE flags after (A/D) */
	PWX_X_CR2     = 1 << 4, /* CR2 was not the accessed address */
};
unsigned pwx_compare(const struct pwx_rec *r, const struct pwx_expect *e);

/* A known, understood way a platform differs from the SDM. */
struct pwx_quirk {
	const char *name;       /* short, printed with each match */
	const char *why;        /* the explanation, printed once */
	/* Does this quirk explain record r differing by diff from e? */
	bool (*match)(const struct pwx_rec *r, const struct pwx_expect *e,
		      unsigned diff);
};

struct pwx_profile {
	const char *backend;    /* its name, printed with every quirk */
	const struct pwx_quirk *quirks;
	int nquirks;
	/* It applies where backend_describe() contains every one of these
	   (NULL-terminated). */
	const char *const *needs;
};

/* kvm_pvm (pwx_profile_pvm.c); kvm_amd with NPT inside QEMU TCG, the
   nested host (pwx_profile_qemu_npt.c). */
extern const struct pwx_profile pwx_profile_pvm;
extern const struct pwx_profile pwx_profile_qemu_npt;

/* The profile for a backend_describe() text, or NULL: the SDM alone. */
const struct pwx_profile *pwx_profile_for(const char *backend);

/* The first quirk of p (NULL: none) explaining r, or NULL. */
const struct pwx_quirk *pwx_explain(const struct pwx_profile *p,
				    const struct pwx_rec *r,
				    const struct pwx_expect *e, unsigned diff);

struct pwx_summary {
	size_t n;               /* accesses */
	size_t groups;          /* distinct (PDE, PTE) pairs */
	size_t modes;           /* distinct CR0.WP/EFER.NXE modes */
	size_t as_sdm;          /* matched the SDM */
	size_t explained;       /* differed, explained by the profile */
	size_t unexplained;     /* differed, not explained: a failure */
	size_t faults;          /* #PF outcomes */
	/* What the SDM leaves open, as observed: faulting accesses that
	   went through a present PDE whose A was clear, and how many of
	   them came back with A set. */
	size_t pde_a_open, pde_a_set;
};

/*
 * Judge n records: print the table (when table), every mismatch by name
 * and the summary lines to out (each line prefixed "pwx: "), compare
 * against profile p (NULL: the SDM alone) and fill *s.  Returns
 * s->unexplained.
 */
size_t pwx_judge(const struct pwx_rec *recs, size_t n,
		 const struct pwx_profile *p, bool table, FILE *out,
		 struct pwx_summary *s);

/*
 * The matrix's layout: for each record, its row (a distinct (PDE, PTE)
 * pair, in the order the guest ran them) and its column (mode column *
 * PWX_NACC + access; modes in the order the guest runs them, see
 * pwx_mode_of_col), or -1 for both when it is outside the matrix.
 * Returns the number of rows.
 */
size_t pwx_layout(const struct pwx_rec *recs, size_t n, int *row, int *col);
/* The PWX_M_WP/PWX_M_NXE bits of mode column m (0..3). */
int pwx_mode_of_col(int m);

/* The matrix as an HTML table (vmm/pwx/pwx_html.c): a cell per access,
 * coloured by outcome, mismatches highlighted with the rule they break
 * and the profile quirk that explains them, if one does; sum is
 * pwx_judge's for the same records. */
void pwx_html(FILE *out, const struct pwx_rec *recs, size_t n,
	      const struct pwx_profile *p, const char *backend,
	      const struct pwx_summary *sum);

/*
 * pwx_rule: the rule record r breaks, in words, e.g. "#PF error code
 * lacks P on a reserved-bit fault" or "PTE A left clear on a completed
 * access"; several joined by "; ".  Mismatches are counted per rule.
 * Returns buf.
 */
char *pwx_rule(const struct pwx_rec *r, const struct pwx_expect *e,
	       unsigned diff, char *buf, size_t cap);

/* "P|RW|US" for PWX_E_* flags, "-" for none.  Returns buf. */
char *pwx_flags_str(uint8_t e, char *buf, size_t cap);
/* "sup-read" ... "user-fetch". */
const char *pwx_access_name(int acc);

/* Hypercall handlers (vmm/hcall.c): return VMM_CONTINUE or a status. */
int pwx_hc_result(struct vcpu *vcpu, struct hcall *h);
int pwx_hc_done(struct vcpu *vcpu, struct hcall *h);

#endif /* VMM_PWX_H */
