/*
 * test_crash.c: a crashing guest gives exit 126 with a diagnostic, a hung
 * guest is stopped by --timeout with exit 124.  The kernel's test= boot
 * option makes it triple-fault, panic or hang on purpose.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

START_TEST(triple_fault_is_crash_with_dump)
{
	struct vm_result r;

	vm_boot(&r, "-c", "test=triplefault", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, VMM_EXIT_CRASH);
	vm_check_err_has_ci(&r, "triple fault");
	vm_check_err_has(&r, "RIP");
	vm_check_err_has(&r, "CR2");
	vm_check(&r, vm_match(r.out, "^vmm:", NULL, 0) < 0,
		 "the crash report is on stdout, expected stderr only");
	vm_result_free(&r);
}
END_TEST

START_TEST(panic_is_crash_with_message)
{
	struct vm_result r;

	vm_boot(&r, "-c", "test=panic", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, VMM_EXIT_CRASH);
	vm_check(&r, vm_match(r.err, "^vmm: guest panic: .+", NULL, 0) >= 0,
		 "no \"vmm: guest panic: MESSAGE\" line on stderr");
	vm_result_free(&r);
}
END_TEST

/* The kernel spins with interrupts off: only the VMM can stop it. */
START_TEST(kernel_hang_times_out)
{
	struct vm_result r;
	const struct vm_opts o = { .hard_limit = 15 };
	const char *args[] = { "-t", "2", "-c", "test=hang", KERNEL_PATH,
			       PROG("hello"), NULL };

	vm_runv(&r, &o, args);
	vm_check_exit(&r, VMM_EXIT_TIMEOUT);
	vm_check_err_has(&r, "vmm: guest timed out after");
	vm_check_err_has(&r, "RIP");
	vm_check(&r, r.elapsed >= 1.5 && r.elapsed < 10,
		 "timed out after %.2f s, expected about 2 s", r.elapsed);
	vm_result_free(&r);
}
END_TEST

/* A user program loops forever (timer interrupts on). */
START_TEST(user_spin_times_out)
{
	struct vm_result r;
	const struct vm_opts o = { .hard_limit = 15 };
	const char *args[] = { "-t", "2", KERNEL_PATH, PROG("spin"), NULL };

	vm_runv(&r, &o, args);
	vm_check_exit(&r, VMM_EXIT_TIMEOUT);
	vm_check_out_has(&r, "spin: looping forever");
	vm_check_err_has(&r, "vmm: guest timed out after");
	vm_check(&r, r.elapsed < 10,
		 "timed out after %.2f s, expected < 10 s with -t 2", r.elapsed);
	vm_result_free(&r);
}
END_TEST

/* Decimal timeouts are accepted. */
START_TEST(decimal_timeout_accepted)
{
	struct vm_result r;
	const struct vm_opts o = { .hard_limit = 15 };
	const char *args[] = { "-t", "1.5", KERNEL_PATH, PROG("spin"), NULL };

	vm_runv(&r, &o, args);
	vm_check_exit(&r, VMM_EXIT_TIMEOUT);
	vm_check(&r, r.elapsed >= 1.0 && r.elapsed < 8,
		 "timed out after %.2f s, expected about 1.5 s", r.elapsed);
	vm_result_free(&r);
}
END_TEST

/* -t 0 means no timeout: a normal run is not stopped at once. */
/*
 * -t 0 means no timeout, not "the default" nor "0 seconds": it overrides
 * an earlier -t 1 for a guest that sleeps 3 s.  If -t 0 were ignored the
 * -t 1 would stop it (exit 124); the twin with -t 1 alone shows that.
 */
START_TEST(zero_timeout_means_none)
{
	struct vm_result r;
	const struct vm_opts o = { .hard_limit = 30 };
	const char *args[] = { "-t", "1", "-t", "0", KERNEL_PATH, PROG("sleep"),
			       "--", "3000", NULL };
	const char *twin[] = { "-t", "1", KERNEL_PATH, PROG("sleep"), "--",
			       "3000", NULL };

	vm_runv(&r, &o, args);
	vm_check_exit(&r, 0);
	vm_check_out_has(&r, "sleep: slept 3000 ms");
	vm_result_free(&r);
	vm_runv(&r, &o, twin);
	vm_check_exit(&r, VMM_EXIT_TIMEOUT);
	vm_result_free(&r);
}
END_TEST

/*
 * The kernel as a hostile guest (test=abifuzz, guest/abifuzz.c): 20,000
 * random hypercalls (addresses in and out of RAM, wrapping, unaligned,
 * garbage page-table roots for the auditor to walk) and port accesses.
 * The VMM must answer all and stay up: the kernel's closing line, then
 * exit 0, or 123 when the garbage address spaces it was given were
 * reported by the audit (documented); never a crash or a hang.  Under
 * make check SANITIZE=1 the VMM runs with ASan and UBSan.
 */
START_TEST(hostile_guest_abi_fuzz)
{
	const char *const args[] = { "-t", "100", "-c", "test=abifuzz",
				     "-c", "fuzzcount=20000", KERNEL_PATH, NULL };
	struct vm_result r;
	uint64_t violations = 0;

	vm_runv(&r, &(struct vm_opts){ .hard_limit = 130 }, args);
	vm_check(&r, vm_match(r.klog, "^abifuzz: [0-9]+ hypercalls, [0-9]+ port "
			      "accesses, [0-9]+ distinct answers, the VMM still "
			      "here$", NULL, 0) >= 0,
		 "the kernel did not finish its requests");
	vm_check_klog_has(&r, "abifuzz: 6 hostile address spaces audited");
	vm_check(&r, vm_json_number(&r, "violations", &violations),
		 "no audit result in the report");
	/* the hostile tables were walked, each once, and the bound held */
	vm_check(&r, r.json && strstr(r.json, "\"kind\": \"table_alias\"") &&
		 strstr(r.json, "\"kind\": \"audit_bound\""),
		 "the audit reported no table_alias or no audit_bound");
	vm_check(&r, r.exited && r.code == (violations ? VMM_EXIT_AUDIT : 0),
		 "vmm ended with %s after %llu violations, expected exit %d",
		 vm_status_str(&r), (unsigned long long)violations,
		 violations ? VMM_EXIT_AUDIT : 0);
	vm_result_free(&r);
}
END_TEST

/*
 * test=mmio: the kernel maps a guest-physical address no memory slot
 * backs (past RAM, in the hole below 4 GiB, up to MAXPHYADDR) and reads
 * or writes it (1 to 8 bytes, or rep movsb).  The VMM's documented
 * answer: exit 126 naming the access, the one the kernel announced.
 * Seeds 2, 5 and 8: a 1-byte read in the hole, a 4-byte read high up, an
 * 8-byte write past RAM; 9 and 17: rep movsb reading high up and
 * writing in the hole.
 */
START_TEST(mmio_to_unbacked_memory_ends_the_vm)
{
	static const unsigned seeds[] = { 2, 5, 8, 9, 17 };

	for (unsigned i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		char opt[64], dir[8], want[128];
		unsigned long long gpa = 0;
		unsigned n = 0;
		const char *at;
		struct vm_result r;

		snprintf(opt, sizeof(opt), "test=mmio fuzzseed=%u", seeds[i]);
		vm_boot(&r, "-c", opt, KERNEL_PATH, NULL);
		at = r.klog ? strstr(r.klog, "mmio: seed ") : NULL;
		if (at && strstr(at, "rep movsb")) {
			vm_check(&r, sscanf(at, "mmio: seed %*u: rep movsb %7s %u "
					    "bytes at GPA %llx", dir, &n, &gpa) == 3,
				 "seed %u: no announcement", seeds[i]);
			dir[strlen(dir) - 1] = '\0';    /* reads -> read */
			snprintf(want, sizeof(want), "unexpected MMIO %s at GPA "
				 "0x%llx, ", dir, gpa);
		} else {
			vm_check(&r, at && sscanf(at, "mmio: seed %*u: %7s of %u "
						  "bytes at GPA %llx", dir, &n,
						  &gpa) == 3,
				 "seed %u: no announcement", seeds[i]);
			snprintf(want, sizeof(want), "unexpected MMIO %s at GPA "
				 "0x%llx, %u bytes", dir, gpa, n);
		}
		vm_check(&r, gpa >= 64ULL << 20, "seed %u: GPA 0x%llx is in RAM",
			 seeds[i], gpa);
		vm_check_err_has(&r, want);
		vm_check_klog_lacks(&r, "came back");
		vm_check_exit(&r, VMM_EXIT_CRASH);
		vm_result_free(&r);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_crash");

	itest_add(s, "triple_fault_is_crash_with_dump",
		  triple_fault_is_crash_with_dump);
	itest_add(s, "panic_is_crash_with_message", panic_is_crash_with_message);
	itest_add(s, "kernel_hang_times_out", kernel_hang_times_out);
	itest_add_slow(s, "hostile_guest_abi_fuzz", hostile_guest_abi_fuzz, 160);
	itest_add(s, "mmio_to_unbacked_memory_ends_the_vm",
		  mmio_to_unbacked_memory_ends_the_vm);
	itest_add(s, "user_spin_times_out", user_spin_times_out);
	itest_add(s, "decimal_timeout_accepted", decimal_timeout_accepted);
	itest_add(s, "zero_timeout_means_none", zero_timeout_means_none);
	return itest_main(s);
}
