/*
 * test_nested.c: the nested host (vmm/nested/), from this machine.
 *
 * Unlike the other suites this one never runs inside the nested host: it
 * boots it, through build/vmm with KVM_HOST=qemu and through
 * build/nested-run, and checks what a user sees: the same streams, exit
 * codes and files as with a KVM device here, and a clear failure (never a
 * hang, never a pass) when the nested machine itself goes wrong: a panic
 * of its Linux, a broken init, a job that never ends, no QEMU, no nested
 * host built.
 */
#include "harness.h"
#include "tmpfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NESTED_RUN   BUILD_DIR "/nested-run"
#define NESTED_LIMIT 150.0      /* harness limit per run: boot included */

static void run_with(struct vm_result *r, const char *vmm, double limit,
		     const char *const *args)
{
	const struct vm_opts o = { .vmm = vmm, .hard_limit = limit };

	vm_runv(r, &o, args);
}

/* The VMM with KVM_HOST=qemu: the nested host even where /dev/kvm exists. */
static void vmm_nested(struct vm_result *r, const char *const *args)
{
	setenv("KVM_HOST", "qemu", 1);
	run_with(r, NULL, NESTED_LIMIT, args);
}

START_TEST(vmm_streams_and_status)
{
	const char *args[] = { "-t", "30", KERNEL_PATH, PROG("hello"), "--",
			       "a", "b c", NULL };
	struct vm_result r;

	vmm_nested(&r, args);
	vm_check_exit(&r, 0);
	vm_check_out_line(&r, "argv[1] = a");
	vm_check_out_line(&r, "argv[2] = b c");
	vm_check_err_has(&r, "vmm: KVM_HOST=qemu: running in the nested host "
			 "(QEMU TCG, Debian linux-image-");
	vm_check_err_has(&r, "vmm: audit: 0 checkpoints, ");
	/* each stream only its own */
	vm_check(&r, vm_find(r.err, "hello from ring 3") < 0,
		 "the guest console leaked into stderr");
	vm_check(&r, vm_find(r.out, "vmm:") < 0,
		 "a VMM message leaked into stdout");
	vm_result_free(&r);
}
END_TEST

/* The guest's own status, and the VMM's, come back unchanged. */
START_TEST(vmm_exit_codes)
{
	const char *exit7[] = { "-t", "30", KERNEL_PATH, PROG("exit7"), NULL };
	const char *segv[] = { "-t", "30", KERNEL_PATH, PROG("segv"), NULL };
	const char *spin[] = { "-t", "2", KERNEL_PATH, PROG("spin"), NULL };
	struct vm_result r;

	vmm_nested(&r, exit7);
	vm_check_exit(&r, 7);
	vm_result_free(&r);
	vmm_nested(&r, segv);
	vm_check_exit(&r, 139);
	vm_check_klog_has(&r, "segfault at");
	vm_result_free(&r);
	vmm_nested(&r, spin);
	vm_check_exit(&r, VMM_EXIT_TIMEOUT);
	vm_check_err_has(&r, "RIP");
	vm_result_free(&r);
}
END_TEST

/* Files named on the command line, relative ones too, are this machine's:
   the report and the pagemap written in the nested host land here. */
START_TEST(vmm_files_are_the_hosts)
{
	const char *args[] = { "-t", "30", "--report-file", "report.json",
			       "--pagemap", "1:pagemap.1", KERNEL_PATH,
			       PROG("hello"), NULL };
	char *dir = tmp_dir(), cwd[4096], path[4200];
	struct vm_result r;
	FILE *f;
	long size;
	char head[2] = "";

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(chdir(dir), 0);
	vmm_nested(&r, args);
	ck_assert_int_eq(chdir(cwd), 0);
	vm_check_exit(&r, 0);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "r");
	vm_check(&r, f != NULL, "%s was not written on this machine", path);
	vm_check(&r, fread(head, 1, 1, f) == 1 && head[0] == '{',
		 "%s does not start with '{'", path);
	fclose(f);
	snprintf(path, sizeof(path), "%s/pagemap.1", dir);
	f = fopen(path, "r");
	vm_check(&r, f != NULL, "%s was not written on this machine", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	vm_check(&r, size > 0 && size % 8 == 0, "%s has %ld bytes, expected a "
		 "non-empty multiple of 8", path, size);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

/* nested-run: exact streams, and a status text on stdout is only text. */
START_TEST(nested_run_relays_exactly)
{
	const char *args[] = { "-q", "--", "sh", "-c",
			       "printf 'exit 0\\nout\\n'; echo 'exit 0' >&2; "
			       "exit 42", NULL };
	const char *killed[] = { "-q", "--", "sh", "-c", "kill -9 $$", NULL };
	struct vm_result r;

	run_with(&r, NESTED_RUN, NESTED_LIMIT, args);
	vm_check_exit(&r, 42);
	vm_check(&r, strcmp(r.out, "exit 0\nout\n") == 0,
		 "stdout is not exactly the job's");
	vm_check(&r, strcmp(r.err, "exit 0\n") == 0,
		 "stderr is not exactly the job's");
	vm_result_free(&r);
	run_with(&r, NESTED_RUN, NESTED_LIMIT, killed);
	vm_check_exit(&r, 128 + 9);
	vm_result_free(&r);
}
END_TEST

/* A reader that takes its time still gets every byte: the machine stops
   only once the host has all the output the job wrote.  The reader takes
   16 KiB every 50 ms; before the end-of-output handshake it got 491,520
   of these 1,000,000 bytes, and the run still exited 0. */
#define SLOW_READER "(t=0; while n=$(head -c 16384 | wc -c); [ $n -gt 0 ]; " \
		    "do t=$((t + n)); sleep 0.05; done; echo $t)"
START_TEST(nested_slow_reader_gets_everything)
{
	const char *args[] = { "-c", NESTED_RUN " -q -t 100 -- sh -c 'head -c "
			       "1000000 /dev/zero; echo done >&2' | "
			       SLOW_READER, NULL };
	struct vm_result r;

	run_with(&r, "/bin/sh", NESTED_LIMIT, args);
	vm_check_exit(&r, 0);
	vm_check(&r, strcmp(r.out, "1000000\n") == 0,
		 "the slow reader did not get 1000000 bytes");
	vm_check(&r, strcmp(r.err, "done\n") == 0, "stderr is not the job's");
	vm_result_free(&r);
}
END_TEST

/* A job that never ends is stopped at the machine's timeout, with 124. */
START_TEST(nested_timeout_fails)
{
	const char *args[] = { "-t", "20", "--", "sleep", "1000", NULL };
	struct vm_result r;

	run_with(&r, NESTED_RUN, NESTED_LIMIT, args);
	vm_check_exit(&r, 124);
	vm_check_err_has(&r, "nested-run: nested host: did not finish within "
			 "20 s; stopped it");
	vm_check(&r, r.elapsed < 60, "took %.0f s to stop", r.elapsed);
	vm_result_free(&r);
}
END_TEST

/* nested-run -- true, with words added to the nested Linux's command
   line to break the machine on purpose. */
static void run_broken(struct vm_result *r, const char *append)
{
	const char *args[] = { "-t", "60", "--", "true", NULL };

	setenv("NESTED_APPEND", append, 1);
	run_with(r, NESTED_RUN, NESTED_LIMIT, args);
}

/* A panic of the nested Linux (no init to run: rdinit= names nothing, and
   there is no root file system) is a failure, with the panic shown. */
START_TEST(nested_panic_fails)
{
	struct vm_result r;

	run_broken(&r, "rdinit=/nonexistent");
	vm_check_exit(&r, 125);
	vm_check_err_has(&r, "nested-run: nested host: the nested Linux "
			 "kernel panicked");
	vm_check_err_has(&r, "nested-run: | ");
	vm_check_err_has(&r, "Kernel panic");
	vm_result_free(&r);
}
END_TEST

/* The init cannot set up the machine (kvm_amd refuses a parameter): a
   failure naming the init, not a status. */
START_TEST(nested_init_failure_fails)
{
	struct vm_result r;

	run_broken(&r, "kvm_amd.npt=banana");
	vm_check_exit(&r, 125);
	vm_check_err_has(&r, "its init could not set up the machine");
	vm_check_err_has(&r, "nested-init: FAILED: loading /lib/modules/"
			 "kvm_amd.ko (npt=1 npt=banana)");
	vm_result_free(&r);
}
END_TEST

/* No QEMU, no nested host built: 125 and what to do about it. */
START_TEST(nested_missing_parts_fail)
{
	const char *args[] = { "-t", "10", KERNEL_PATH, PROG("hello"), NULL };
	struct vm_result r;

	setenv("NESTED_DIR", "/nonexistent/nested", 1);
	vmm_nested(&r, args);
	vm_check_exit(&r, VMM_EXIT_SETUP);
	vm_check_err_has(&r, "vmm: nested host: /nonexistent/nested/vmlinuz: "
			 "No such file or directory (build it with 'make "
			 "nested')");
	vm_result_free(&r);
	unsetenv("NESTED_DIR");
	setenv("PATH", "/nonexistent", 1);
	vmm_nested(&r, args);
	vm_check_exit(&r, VMM_EXIT_SETUP);
	vm_check_err_has(&r, "vmm: nested host: QEMU failed (exit 127)");
	vm_check_err_has(&r, "qemu-system-x86_64: No such file or directory "
			 "(apt-get install qemu-system-x86)");
	vm_result_free(&r);
}
END_TEST

/* Bad values of the variables that choose the host are usage errors. */
START_TEST(host_variables_checked)
{
	const char *args[] = { KERNEL_PATH, NULL };
	struct vm_result r;

	setenv("KVM_HOST", "nested", 1);
	run_with(&r, NULL, 10, args);
	vm_check_exit(&r, VMM_EXIT_USAGE);
	vm_check_err_has(&r, "vmm: KVM_HOST=nested: expected auto, native or "
			 "qemu");
	vm_result_free(&r);
	setenv("KVM_HOST", "qemu", 1);
	setenv("NESTED_PAGING", "ept", 1);
	run_with(&r, NULL, 10, args);
	vm_check_exit(&r, VMM_EXIT_USAGE);
	vm_check_err_has(&r, "NESTED_PAGING=ept: expected npt or shadow");
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_nested");

	/* Tests here set the variables they need; none is inherited. */
	unsetenv("KVM_HOST");
	unsetenv("NESTED_PAGING");
	unsetenv("NESTED_DIR");
	unsetenv("NESTED_APPEND");
	itest_add(s, "vmm_streams_and_status", vmm_streams_and_status);
	itest_add(s, "vmm_exit_codes", vmm_exit_codes);
	itest_add(s, "vmm_files_are_the_hosts", vmm_files_are_the_hosts);
	itest_add(s, "nested_run_relays_exactly", nested_run_relays_exactly);
	itest_add(s, "nested_slow_reader_gets_everything",
		  nested_slow_reader_gets_everything);
	itest_add(s, "nested_timeout_fails", nested_timeout_fails);
	itest_add(s, "nested_panic_fails", nested_panic_fails);
	itest_add(s, "nested_init_failure_fails", nested_init_failure_fails);
	itest_add(s, "nested_missing_parts_fail", nested_missing_parts_fail);
	itest_add(s, "host_variables_checked", host_variables_checked);
	return itest_main(s);
}
