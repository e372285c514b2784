/*
 * test_pwx.c: the page-walk experiment (experiment=pagewalk, guest/pwx.c,
 * vmm/pwx*.c).  The whole matrix runs, every access agrees with the SDM
 * or with the recorded platform profile, in a bounded time, and the kernel
 * is intact afterwards.  The judge's negative control (a wrong outcome is
 * caught) is tests/unit/test_pwx.c.
 */
#include "harness.h"

#include <stdio.h>

/* 8 PDEs x 64 PTEs + 64 2 MiB leaves + 6 reserved-bit pairs, 4 modes, 6 accesses */
#define PWX_MATRIX "vmm: pwx: matrix 13968 accesses = 582 entry pairs x 4 modes"
#define PWX_LIMIT_S 30.0

static void pwx_boot(struct vm_result *r, const char *prog)
{
	const struct vm_opts o = { .hard_limit = PWX_LIMIT_S + 15 };
	const char *args[] = { "-t", "40", "-c", "experiment=pagewalk",
			       KERNEL_PATH, prog, NULL };

	vm_runv(r, &o, args);
}

START_TEST(matrix_agrees_with_sdm)
{
	struct vm_result r;
	char line[512];

	pwx_boot(&r, NULL);
	vm_check_exit(&r, 0);
	vm_check_err_has(&r, PWX_MATRIX);
	vm_check(&r, vm_match(r.err, "^vmm: pwx: [0-9]+ as the SDM says, [0-9]+ "
			      "mismatches explained by the .* profile, 0 "
			      "unexplained mismatches$", line, sizeof(line)) >= 0,
		 "no \"0 unexplained mismatches\" summary line");
	vm_check_err_has(&r, "vmm: pwx: page-walk experiment on ");
	vm_check(&r, vm_find(r.err, "vmm: pwx: MISMATCH") < 0,
		 "an unexplained mismatch was printed");
	vm_check_klog_has(&r, "pwx: 13968 accesses done");
	vm_check_klog_has(&r, "no programs to run");
	vm_check(&r, r.elapsed < PWX_LIMIT_S, "the matrix took %.1f s, "
		 "expected < %.0f s", r.elapsed, PWX_LIMIT_S);
	fprintf(stderr, "test_pwx: matrix ran in %.2f s\n", r.elapsed);
	vm_result_free(&r);
}
END_TEST

/* The kernel's tables, CR0/CR4/EFER and TSS are restored: a program runs
   and the audit is clean. */
START_TEST(kernel_intact_after_matrix)
{
	struct vm_result r;

	pwx_boot(&r, PROG("hello"));
	vm_check_exit(&r, 0);
	vm_check_err_has(&r, PWX_MATRIX);
	vm_check_out_has(&r, "hello from ring 3");
	vm_check_err_has(&r, "0 violations");
	vm_result_free(&r);
}
END_TEST

START_TEST(unknown_experiment_rejected)
{
	struct vm_result r;

	vm_boot(&r, "-c", "experiment=bogus", KERNEL_PATH, NULL);
	vm_check_exit(&r, VMM_EXIT_CRASH);
	vm_check_klog_has(&r, "experiment=bogus: expected pagewalk");
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_pwx");

	itest_add(s, "matrix_agrees_with_sdm", matrix_agrees_with_sdm);
	itest_add(s, "kernel_intact_after_matrix", kernel_intact_after_matrix);
	itest_add(s, "unknown_experiment_rejected", unknown_experiment_rejected);
	return itest_main(s);
}
