/*
 * test_pwx.c: the page-walk experiment's SDM model (vmm/pwx_model.c) on
 * hand-worked cases, and the judge (vmm/pwx_report.c): a wrong outcome
 * or wrong A/D bits are reported by name and counted as unexplained,
 * unless a profile quirk explains them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mm/pte.h"
#include "vmm/pwx/pwx.h"

#define URW   (PWX_E_P | PWX_E_RW | PWX_E_US)
#define WPNX  (PWX_M_WP | PWX_M_NXE)

static struct pwx_rec rec(uint8_t pde, uint8_t pte, uint8_t mode, int acc)
{
	return (struct pwx_rec){ .pde = pde, .pte = pte,
		.mode = (uint8_t)(mode | acc << PWX_M_ACC_SHIFT) };
}

static struct pwx_expect model(uint8_t pde, uint8_t pte, uint8_t mode, int acc)
{
	struct pwx_rec r = rec(pde, pte, mode, acc);
	struct pwx_expect e;

	pwx_model(&r, &e);
	return e;
}

#define ck_fault(e, want)                                                  \
	do {                                                               \
		ck_assert_msg((e).outcome == PWX_PF, "expected #PF, model says ok"); \
		ck_assert_msg((e).err == (want), "error code 0x%x, expected 0x%x", \
			      (unsigned)(e).err, (unsigned)(want));                            \
	} while (0)
#define ck_ok(e) ck_assert_msg((e).outcome == PWX_OK, \
			       "expected ok, model says #PF err 0x%x", (e).err)

START_TEST(user_fetch_nx_page)
{
	/* SDM 4.6: NX at any level forbids fetches; 4.7: I with NXE */
	ck_fault(model(URW, PWX_E_P | PWX_E_US | PWX_E_NX, WPNX, PWX_ACC_UFETCH),
		 PF_ERR_P | PF_ERR_U | PF_ERR_I);
	ck_fault(model(URW | PWX_E_NX, URW, WPNX, PWX_ACC_UFETCH), 0x15);
	ck_ok(model(URW, URW, WPNX, PWX_ACC_UFETCH));
}
END_TEST

START_TEST(nx_without_nxe_is_reserved)
{
	/* bit 63 reserved without NXE: P=1 RSVD=1, and no I bit */
	ck_fault(model(URW, URW | PWX_E_NX, PWX_M_WP, PWX_ACC_UFETCH),
		 PF_ERR_P | PF_ERR_RSVD | PF_ERR_U);
	ck_fault(model(URW | PWX_E_NX, URW, 0, PWX_ACC_SREAD), 0x09);
	/* ... but a not-present entry's other bits are ignored */
	ck_fault(model(URW, PWX_E_US | PWX_E_NX, 0, PWX_ACC_SREAD), 0x00);
	ck_fault(model(URW, PWX_E_NX, PWX_M_NXE, PWX_ACC_SFETCH), PF_ERR_I);
	ck_fault(model(PWX_E_NX, URW, 0, PWX_ACC_UWRITE), 0x06);
}
END_TEST

START_TEST(reserved_address_bit)
{
	ck_fault(model(URW, URW | PWX_E_RSV, WPNX, PWX_ACC_SREAD), 0x09);
	ck_fault(model(URW | PWX_E_PS | PWX_E_RSV, 0, WPNX, PWX_ACC_UFETCH), 0x1d);
	ck_fault(model(URW, PWX_E_RW | PWX_E_RSV, WPNX, PWX_ACC_UWRITE), 0x06);
}
END_TEST

START_TEST(supervisor_write_and_wp)
{
	struct pwx_expect e;

	ck_fault(model(URW, PWX_E_P | PWX_E_US, WPNX, PWX_ACC_SWRITE),
		 PF_ERR_P | PF_ERR_W);
	ck_fault(model(PWX_E_P | PWX_E_US, URW, WPNX, PWX_ACC_SWRITE), 0x03);
	/* WP=0: supervisor writes ignore RW, and set D */
	e = model(PWX_E_P, PWX_E_P, PWX_M_NXE, PWX_ACC_SWRITE);
	ck_ok(e);
	ck_assert_uint_eq(e.pte_after, PWX_E_P | PWX_E_A | PWX_E_D);
	ck_assert_uint_eq(e.pde_after, PWX_E_P | PWX_E_A);
	/* ... but user writes never do */
	ck_fault(model(URW, PWX_E_P | PWX_E_US, PWX_M_NXE, PWX_ACC_UWRITE), 0x07);
}
END_TEST

START_TEST(user_needs_us_everywhere)
{
	ck_fault(model(PWX_E_P | PWX_E_RW, URW, WPNX, PWX_ACC_UREAD), 0x05);
	ck_fault(model(URW, PWX_E_P | PWX_E_RW, WPNX, PWX_ACC_UREAD), 0x05);
	ck_fault(model(PWX_E_P | PWX_E_US, URW, WPNX, PWX_ACC_UWRITE), 0x07);
	ck_ok(model(URW, PWX_E_P | PWX_E_US, WPNX, PWX_ACC_UREAD));
}
END_TEST

START_TEST(supervisor_uses_user_pages)
{
	/* no SMEP, no SMAP: ring 0 reads, writes and runs user pages */
	ck_ok(model(URW, URW, WPNX, PWX_ACC_SREAD));
	ck_ok(model(URW, URW, WPNX, PWX_ACC_SWRITE));
	ck_ok(model(URW, URW, WPNX, PWX_ACC_SFETCH));
	ck_fault(model(URW, URW | PWX_E_NX, WPNX, PWX_ACC_SFETCH), 0x11);
	/* not present, NXE off: no I bit even for a fetch */
	ck_fault(model(PWX_E_P, PWX_E_US, 0, PWX_ACC_SFETCH), 0x00);
}
END_TEST

START_TEST(accessed_dirty)
{
	struct pwx_expect e;

	/* 4 KiB read: A in PDE and PTE, no D */
	e = model(URW, URW, WPNX, PWX_ACC_UREAD);
	ck_assert_uint_eq(e.pte_after, URW | PWX_E_A);
	ck_assert_uint_eq(e.pde_after, URW | PWX_E_A);
	/* 2 MiB write: A and D in the leaf PDE */
	e = model(URW | PWX_E_PS, 0, WPNX, PWX_ACC_UWRITE);
	ck_ok(e);
	ck_assert_uint_eq(e.pde_after, URW | PWX_E_PS | PWX_E_A | PWX_E_D);
	ck_assert_uint_eq(e.pte_after, 0);
	/* D already set stays set on a read */
	e = model(URW, URW | PWX_E_D, WPNX, PWX_ACC_SREAD);
	ck_assert_uint_eq(e.pte_after, URW | PWX_E_A | PWX_E_D);
	/* a fault leaves the 4 KiB leaf alone; the PDE's A is open */
	e = model(URW, PWX_E_P | PWX_E_US, WPNX, PWX_ACC_UWRITE);
	ck_assert_uint_eq(e.pte_after, PWX_E_P | PWX_E_US);
	ck_assert_uint_eq(e.pde_any, PWX_E_A);
	/* a not-present PDE is not used at all */
	e = model(PWX_E_RW | PWX_E_US, URW, WPNX, PWX_ACC_UREAD);
	ck_assert_uint_eq(e.pde_any, 0);
	ck_assert_uint_eq(e.pde_after, PWX_E_RW | PWX_E_US);
}
END_TEST

/* A record exactly as the model predicts. */
static struct pwx_rec as_model(uint8_t pde, uint8_t pte, uint8_t mode, int acc)
{
	struct pwx_rec r = rec(pde, pte, mode, acc);
	struct pwx_expect e;

	pwx_model(&r, &e);
	r.outcome = e.outcome;
	r.err = e.err;
	r.pte_after = e.pte_after;
	r.pde_after = e.pde_after;
	return r;
}

START_TEST(compare_names_each_difference)
{
	struct pwx_rec r = as_model(URW, PWX_E_P | PWX_E_US | PWX_E_NX, WPNX,
				    PWX_ACC_UFETCH);
	struct pwx_expect e;

	pwx_model(&r, &e);
	ck_assert_uint_eq(pwx_compare(&r, &e), 0);
	r.outcome = PWX_OK;
	ck_assert_uint_eq(pwx_compare(&r, &e), PWX_X_OUTCOME);
	r.outcome = PWX_PF;
	r.err = 0x05;
	ck_assert_uint_eq(pwx_compare(&r, &e), PWX_X_ERR);
	r.err = e.err;
	r.pte_after |= PWX_E_A;
	ck_assert_uint_eq(pwx_compare(&r, &e), PWX_X_PTE);
	r.pte_after = e.pte_after;
	r.pde_after |= PWX_E_A;         /* open: not a difference */
	ck_assert_uint_eq(pwx_compare(&r, &e), 0);
	r.pde_after |= PWX_E_D;
	ck_assert_uint_eq(pwx_compare(&r, &e), PWX_X_PDE);
	r.pde_after = e.pde_after;
	r.note = PWX_N_CR2;
	ck_assert_uint_eq(pwx_compare(&r, &e), PWX_X_CR2);
}
END_TEST

/* Every pair of the guest's main matrix, one mode, as the model says. */
static size_t full_matrix(struct pwx_rec *out, uint8_t mode)
{
	static const uint8_t bits[] = { PWX_E_P, PWX_E_RW, PWX_E_US,
					PWX_E_NX, PWX_E_A, PWX_E_D };
	size_t n = 0;

	for (unsigned d = 0; d < 8; d++)
		for (unsigned t = 0; t < 64; t++) {
			uint8_t pde = (uint8_t)(PWX_E_P | (d & 1 ? PWX_E_RW : 0) |
				      (d & 2 ? PWX_E_US : 0) | (d & 4 ? PWX_E_NX : 0));
			uint8_t pte = 0;

			for (unsigned b = 0; b < 6; b++)
				if (t & (1u << b))
					pte |= bits[b];
			for (int a = 0; a < PWX_NACC; a++)
				out[n++] = as_model(pde, pte, mode, a);
		}
	return n;
}

static char *judge(const struct pwx_rec *r, size_t n,
		   const struct pwx_profile *p, struct pwx_summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	pwx_judge(r, n, p, true, f, s);
	fclose(f);
	return buf;
}

START_TEST(judge_clean_matrix)
{
	struct pwx_rec *r = calloc(4 * 8 * 64 * PWX_NACC, sizeof(*r));
	struct pwx_summary s;
	size_t n = 0;
	char *out;

	n += full_matrix(r + n, WPNX);
	n += full_matrix(r + n, PWX_M_NXE);
	n += full_matrix(r + n, PWX_M_WP);
	n += full_matrix(r + n, 0);
	out = judge(r, n, &pwx_profile_pvm, &s);
	ck_assert_uint_eq(s.n, 12288);
	ck_assert_uint_eq(s.groups, 512);
	ck_assert_uint_eq(s.modes, 4);
	ck_assert_uint_eq(s.as_sdm, 12288);
	ck_assert_uint_eq(s.unexplained, 0);
	ck_assert_msg(strstr(out, "vmm: pwx: matrix 12288 accesses = 512 entry "
			     "pairs x 4 modes"), "no matrix line in:\n%.400s", out);
	ck_assert_msg(!strstr(out, "MISMATCH"), "clean matrix reported a mismatch");
	free(out);
	free(r);
}
END_TEST

/* The negative control: one wrong outcome is caught and named. */
START_TEST(judge_reports_wrong_outcome)
{
	struct pwx_rec r[PWX_NACC * 2];
	struct pwx_summary s;
	char *out;

	for (int a = 0; a < PWX_NACC; a++) {
		r[a] = as_model(URW, PWX_E_P | PWX_E_US | PWX_E_NX, WPNX, a);
		r[PWX_NACC + a] = as_model(URW, URW, WPNX, a);
	}
	r[PWX_ACC_UFETCH].outcome = PWX_OK;         /* ran an NX page */
	r[PWX_NACC + PWX_ACC_SWRITE].pte_after &= (uint8_t)~PWX_E_D;
	out = judge(r, PWX_NACC * 2, &pwx_profile_pvm, &s);
	ck_assert_uint_eq(s.unexplained, 2);
	ck_assert_msg(strstr(out, "vmm: pwx: MISMATCH pte=P|US|NX pde=P|RW|US "
			     "wp=1 nxe=1 user-fetch: expected #PF err=0x15, got ok"),
		      "wrong outcome not named in:\n%s", out);
	ck_assert_msg(strstr(out, "sup-write: expected ok, got ok; PTE after: "
			     "expected P|RW|US|A|D, got P|RW|US|A"),
		      "missing D not named in:\n%s", out);
	ck_assert_msg(strstr(out, "2 unexplained mismatches"), "summary:\n%s", out);
	free(out);
}
END_TEST

static bool quirk_ufetch_ok(const struct pwx_rec *r,
			    const struct pwx_expect *e, unsigned diff)
{
	(void)e;
	return diff == PWX_X_OUTCOME && r->outcome == PWX_OK &&
	       PWX_MODE_ACC(r->mode) == PWX_ACC_UFETCH;
}

START_TEST(profile_explains_only_its_quirk)
{
	static const struct pwx_quirk q[] = {
		{ "ufetch-ok", "test quirk", quirk_ufetch_ok },
	};
	static const struct pwx_profile p = { "test", q, 1, NULL };
	struct pwx_rec r[2];
	struct pwx_summary s;
	char *out;

	r[0] = as_model(URW, PWX_E_P | PWX_E_US | PWX_E_NX, WPNX, PWX_ACC_UFETCH);
	r[0].outcome = PWX_OK;
	r[1] = as_model(URW, PWX_E_P | PWX_E_US, WPNX, PWX_ACC_UWRITE);
	r[1].outcome = PWX_OK;                      /* not the quirk */
	out = judge(r, 2, &p, &s);
	ck_assert_uint_eq(s.explained, 1);
	ck_assert_uint_eq(s.unexplained, 1);
	ck_assert_msg(strstr(out, "vmm: pwx: PLATFORM pte=P|US|NX") &&
		      strstr(out, "[profile: ufetch-ok]"), "quirk not shown:\n%s", out);
	ck_assert_msg(strstr(out, "vmm: pwx: MISMATCH pte=P|US pde=P|RW|US wp=1 "
			     "nxe=1 user-write"), "mismatch not shown:\n%s", out);
	free(out);
	/* without a profile both are unexplained */
	out = judge(r, 2, NULL, &s);
	ck_assert_uint_eq(s.unexplained, 2);
	free(out);
}
END_TEST

START_TEST(profile_chosen_by_backend_words)
{
	ck_assert_ptr_eq(pwx_profile_for("kvm_pvm (software virtualization, "
					 "shadow paging), tdp_mmu=N"),
			 &pwx_profile_pvm);
	ck_assert_ptr_eq(pwx_profile_for("kvm_amd (SVM, NPT on), tdp_mmu=Y, "
					 "inside QEMU TCG (QEMU Standard PC)"),
			 &pwx_profile_qemu_npt);
	/* an AMD machine of its own, or shadow paging, or Intel: the SDM */
	ck_assert_ptr_null(pwx_profile_for("kvm_amd (SVM, NPT on), tdp_mmu=Y"));
	ck_assert_ptr_null(pwx_profile_for("kvm_amd (SVM, NPT off), tdp_mmu=Y, "
					   "inside QEMU TCG"));
	ck_assert_ptr_null(pwx_profile_for("kvm_amd (SVM, NPT on), tdp_mmu=Y, "
					   "inside KVM"));
	ck_assert_ptr_null(pwx_profile_for("kvm_intel (VMX, EPT on), tdp_mmu=Y"));
	ck_assert_ptr_null(pwx_profile_for("unknown"));
}
END_TEST

/* QEMU TCG's quirk explains a reserved-bit fault without P, and nothing
   else: not a protection fault without P, not the same fault with
   another bit missing or with wrong A bits. */
START_TEST(qemu_npt_quirk_only_rsvd_without_p)
{
	const struct pwx_profile *p = &pwx_profile_qemu_npt;
	/* PDE NX without NXE: reserved, expected 0x9 */
	struct pwx_rec rsv = as_model(PWX_E_P | PWX_E_NX, 0, PWX_M_WP,
				      PWX_ACC_SREAD);
	/* user write to a read-only page: protection, expected 0x7 */
	struct pwx_rec prot = as_model(URW, PWX_E_P | PWX_E_US, WPNX,
				       PWX_ACC_UWRITE);
	struct pwx_rec r;
	struct pwx_expect e;
	char rule[192];

	ck_assert_uint_eq(rsv.err, 0x9);
	ck_assert_uint_eq(prot.err, 0x7);
	r = rsv;
	r.err = 0x8;
	pwx_model(&r, &e);
	ck_assert_ptr_nonnull(pwx_explain(p, &r, &e, pwx_compare(&r, &e)));
	ck_assert_str_eq(pwx_rule(&r, &e, pwx_compare(&r, &e), rule,
				  sizeof(rule)),
			 "#PF error code lacks P on a reserved-bit fault");
	/* without the profile it is a mismatch */
	ck_assert_ptr_null(pwx_explain(NULL, &r, &e, pwx_compare(&r, &e)));
	/* RSVD missing instead */
	r = rsv;
	r.err = 0x1;
	pwx_model(&r, &e);
	ck_assert_ptr_null(pwx_explain(p, &r, &e, pwx_compare(&r, &e)));
	/* lacks P, and the PTE's A came back set */
	r = as_model(URW, URW | PWX_E_RSV, WPNX, PWX_ACC_SREAD);
	r.err &= (uint8_t)~PF_ERR_P;
	r.pte_after |= PWX_E_A;
	pwx_model(&r, &e);
	ck_assert_ptr_null(pwx_explain(p, &r, &e, pwx_compare(&r, &e)));
	ck_assert_str_eq(pwx_rule(&r, &e, pwx_compare(&r, &e), rule,
				  sizeof(rule)),
			 "#PF error code lacks P on a reserved-bit fault; "
			 "PTE A set on a reserved-bit fault");
	/* a protection fault without P */
	r = prot;
	r.err = 0x6;
	pwx_model(&r, &e);
	ck_assert_ptr_null(pwx_explain(p, &r, &e, pwx_compare(&r, &e)));
	ck_assert_str_eq(pwx_rule(&r, &e, pwx_compare(&r, &e), rule,
				  sizeof(rule)),
			 "#PF error code lacks P on a protection fault");
	/* completed where the SDM faults */
	r = prot;
	r.outcome = PWX_OK;
	pwx_model(&r, &e);
	ck_assert_ptr_null(pwx_explain(p, &r, &e, pwx_compare(&r, &e)));
	ck_assert_str_eq(pwx_rule(&r, &e, pwx_compare(&r, &e), rule,
				  sizeof(rule)),
			 "ok instead of a protection fault");
}
END_TEST

/* The judge counts mismatches per rule and names the smallest case. */
START_TEST(judge_counts_rules)
{
	struct pwx_rec r[3];
	struct pwx_summary s;
	char *out;

	r[0] = as_model(URW | PWX_E_NX, URW | PWX_E_A, PWX_M_WP, PWX_ACC_SREAD);
	r[1] = as_model(PWX_E_P | PWX_E_NX, 0, PWX_M_WP, PWX_ACC_SREAD);
	r[2] = as_model(URW, URW, WPNX, PWX_ACC_SREAD);
	r[0].err &= (uint8_t)~PF_ERR_P;
	r[1].err &= (uint8_t)~PF_ERR_P;
	out = judge(r, 3, &pwx_profile_qemu_npt, &s);
	ck_assert_uint_eq(s.explained, 2);
	ck_assert_uint_eq(s.unexplained, 0);
	ck_assert_msg(strstr(out, "vmm: pwx: rule: #PF error code lacks P on a "
			     "reserved-bit fault: 2 accesses, explained by quirk "
			     "\"rsvd-fault-without-P\"; smallest: pde=P|NX pte=- "
			     "wp=1 nxe=0 sup-read: expected #PF err=0x9, got "
			     "#PF err=0x8"), "rule line missing:\n%s", out);
	free(out);
	out = judge(r, 3, NULL, &s);
	ck_assert_uint_eq(s.unexplained, 2);
	ck_assert_msg(strstr(out, "2 accesses, UNEXPLAINED"), "%s", out);
	free(out);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pwx");
	const struct { const char *name; const TTest *fn; } tests[] = {
		{ "user_fetch_nx_page", user_fetch_nx_page },
		{ "nx_without_nxe_is_reserved", nx_without_nxe_is_reserved },
		{ "reserved_address_bit", reserved_address_bit },
		{ "supervisor_write_and_wp", supervisor_write_and_wp },
		{ "user_needs_us_everywhere", user_needs_us_everywhere },
		{ "supervisor_uses_user_pages", supervisor_uses_user_pages },
		{ "accessed_dirty", accessed_dirty },
		{ "compare_names_each_difference", compare_names_each_difference },
		{ "judge_clean_matrix", judge_clean_matrix },
		{ "judge_reports_wrong_outcome", judge_reports_wrong_outcome },
		{ "profile_explains_only_its_quirk", profile_explains_only_its_quirk },
		{ "profile_chosen_by_backend_words", profile_chosen_by_backend_words },
		{ "qemu_npt_quirk_only_rsvd_without_p", qemu_npt_quirk_only_rsvd_without_p },
		{ "judge_counts_rules", judge_counts_rules },
	};
	SRunner *sr;
	int failed;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		TCase *tc = tcase_create(tests[i].name);

		tcase_add_test(tc, tests[i].fn);
		suite_add_tcase(s, tc);
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
