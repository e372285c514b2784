/*
 * test_fork.c: fork with copy-on-write, after MIT 6.1810's cowtest, seen
 * from user programs in the VM.  Every scenario also checks that no frame
 * leaked and that the host auditor (on by default) found nothing, except
 * the negative controls, where the kernel leaves a COW page writable in
 * parent and child, or a leaf table shared after fork writable in the
 * child, on purpose and the auditor must say so.
 */
#include "test_mm_common.h"

static void run_cow_mem(const char *prog, const char *okline,
		       const char *extra, const char *mem)
{
	struct vm_result r;
	char path[512];

	snprintf(path, sizeof(path), BUILD_DIR "/user/%s", prog);
	if (extra)
		vm_boot(&r, "-m", mem, "-c", extra, KERNEL_PATH, path, NULL);
	else
		vm_boot(&r, "-m", mem, KERNEL_PATH, path, NULL);
	vm_check_out_has(&r, okline);
	vm_check_out_lacks(&r, "FAIL");
	vm_check(&r, vm_find(r.err, "AUDIT VIOLATION") < 0,
		 "the auditor reported a violation, expected none");
	mm_check_run(&r, 0);
	vm_result_free(&r);
}

static void run_cow(const char *prog, const char *okline, const char *extra)
{
	run_cow_mem(prog, okline, extra, "64M");
}

/* More than half of free memory touched, then fork: only COW makes room.
   A 16 MiB guest keeps the page count (and the emulated kernel's time)
   small; the program scales with whatever RAM it is given. */
START_TEST(fork_more_than_half_of_memory)
{
	run_cow_mem("cow_big", "cow_big: ok: forked with", NULL, "16M");
}
END_TEST

START_TEST(three_writers_see_own_data)
{
	run_cow("cow_three", "cow_three: ok: 3 processes", NULL);
}
END_TEST

/* A 2 ms quantum interleaves the tree of forks often (a 1 ms one makes
   the emulated timer path dominate: four times the kernel work). */
START_TEST(nested_forks_under_preemption)
{
	run_cow("cow_nested", "cow_nested: ok: depth 3 width 3", "quantum=2");
}
END_TEST

START_TEST(kernel_writes_break_cow)
{
	run_cow("cow_kernel_write", "cow_kernel_write: ok", NULL);
}
END_TEST

START_TEST(shared_anonymous_survives_fork)
{
	run_cow("cow_shared_anon", "cow_shared_anon: ok", NULL);
}
END_TEST

/* fork + execve: the child becomes hello with its arguments, the parent
   becomes exit7; execve's errors leave the caller running. */
START_TEST(execve_replaces_the_image)
{
	struct vm_result r;

	vm_boot(&r, "-c", "run=exec_chain", KERNEL_PATH, PROG("exec_chain"),
		PROG("hello"), PROG("exit7"), NULL);
	vm_check_out_line(&r, "hello from ring 3: pid 2 ppid 1");
	vm_check_out_line(&r, "argv[1] = from exec");
	vm_check_out_line(&r, "exec_chain: child ran hello; now becoming exit7");
	vm_check_out_lacks(&r, "FAIL");
	vm_check(&r, vm_find(r.err, "AUDIT VIOLATION") < 0,
		 "the auditor reported a violation, expected none");
	mm_check_run(&r, 7);
	vm_result_free(&r);
}
END_TEST

/* wait4 statuses: exited, killed by SIGSEGV, orphan re-parented to 1. */
START_TEST(wait_reports_exit_signal_and_orphans)
{
	run_cow("wait_status", "wait_status: ok: exited 3, killed by 11, "
		"orphan reaped", NULL);
}
END_TEST

/* An orphan outliving pid 1 (orphan_exit): the kernel used to count it
 * as a program of the boot image when it exited and then waited for
 * ever; the next program must still run and the VM end with the last
 * program's status. */
START_TEST(orphan_outliving_its_program_ends_cleanly)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("orphan_exit"), PROG("exit7"), NULL);
	vm_check_out_line(&r, "orphan_exit: the program exits");
	vm_check_out_line(&r, "orphan_exit: the orphan exits");
	vm_check_klog_has(&r, "all programs done, exit status 7");
	vm_check_exit(&r, 7);
	vm_result_free(&r);
}
END_TEST

/*
 * fuzz_region: random region copies into a child, source and destination
 * written, unmapped and mapped between them, checked byte by byte by both
 * processes against the model they share, under the strict auditor;
 * seeds 1 and 2, 300 operations each.  Negative control: clear=none hands
 * the fresh pages of the destination's holes out uncleared, which the
 * model (zeros around the copied bytes) must catch.
 */
static void fuzz_region(struct vm_result *r, const char *clear,
			const char *seed)
{
	vm_boot(r, "--audit", clear ? "off" : "strict", "-c",
		clear ? clear : "clear=fault", KERNEL_PATH, PROG("fuzz_region"),
		"--", seed, "300", NULL);
}

START_TEST(region_copy_fuzzed)
{
	static const char *const seeds[] = { "1", "2" };

	for (unsigned i = 0; i < 2; i++) {
		struct vm_result r;
		unsigned long copies = 0, mism = 1;
		const char *at;

		fuzz_region(&r, NULL, seeds[i]);
		at = strstr(r.out, " copies (");
		vm_check(&r, at && sscanf(at, " copies (%*u EFAULT), %lu "
					  "mismatches", &mism) == 1 && mism == 0,
			 "seed %s: mismatches, or no summary", seeds[i]);
		vm_check(&r, sscanf(strstr(r.out, "ops, ") ?
				    strstr(r.out, "ops, ") : "", "ops, %lu",
				    &copies) == 1 && copies >= 100,
			 "seed %s: only %lu copies", seeds[i], copies);
		vm_check_exit(&r, 0);
		mm_check_run(&r, 0);
		vm_result_free(&r);
	}
}
END_TEST

START_TEST(region_copy_fuzz_catches_uncleared_pages)
{
	struct vm_result r;
	unsigned long mism = 0;
	const char *at;

	fuzz_region(&r, "clear=none", "1");
	at = strstr(r.out, " copies (");
	vm_check(&r, at && sscanf(at, " copies (%*u EFAULT), %lu mismatches",
				  &mism) == 1 && mism > 0,
		 "no mismatch reported with clear=none");
	vm_check_exit(&r, 1);
	vm_result_free(&r);
}
END_TEST

/* Region copy into a child, every alignment case, checked byte by byte
   from the destination process. */
START_TEST(region_copy_every_alignment)
{
	run_cow("region_copy", "region_copy: ok: all cases", NULL);
}
END_TEST

/* dump=rmap at a checkpoint: the reverse map names both processes for
   the shared page and the COW-shared text. */
START_TEST(rmap_answers_who_maps_a_frame)
{
	struct vm_result r;

	vm_boot(&r, "-c", "dump=rmap", KERNEL_PATH, PROG("checkpoint_maps"),
		NULL);
	vm_check_klog_line(&r, "frames mapped more than once (reverse map):");
	vm_check(&r, vm_match(r.klog, "^  frame 0x[0-9a-f]+: "
			      "checkpoint_maps\\[[12]\\]@7fff[0-9a-f]+ "
			      "checkpoint_maps\\[[12]\\]@7fff[0-9a-f]+$",
			      NULL, 0) >= 0,
		 "the shared page is not listed with both processes");
	vm_check(&r, vm_match(r.klog, "^  frame 0x[0-9a-f]+: "
			      "checkpoint_maps\\[[12]\\]@400000 "
			      "checkpoint_maps\\[[12]\\]@400000$", NULL, 0) >= 0,
		 "the text page at 0x400000 is not listed with both processes");
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

/* Negative control: inject=cow_writable must fail the audit.  Under
 * ptshare=0, so that the child has COW entries of its own: this also
 * shows that the option turns the sharing off (else nothing to inject). */
START_TEST(negative_control_cow_left_writable)
{
	struct vm_result r;

	vm_boot(&r, "-c", "ptshare=0 inject=cow_writable", KERNEL_PATH,
		PROG("cow_three"), NULL);
	vm_check_klog_has(&r, "INJECTED BUG: COW page at");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: writable shared "
			      "frame: frame 0x[0-9a-f]+ is mapped [0-9]+ times; "
			      "pid 1 maps it writable", NULL, 0) >= 0,
		 "no writable-shared-frame report for the injected COW page");
	vm_check_exit(&r, 123);
	vm_result_free(&r);
}
END_TEST

/* Negative control: a leaf table shared after fork whose PD entry in
 * the child is writable (inject=shared_table_rw) must fail the audit. */
START_TEST(negative_control_shared_table_writable)
{
	struct vm_result r;

	vm_boot(&r, "-c", "inject=shared_table_rw", KERNEL_PATH,
		PROG("cow_three"), NULL);
	vm_check_klog_has(&r, "at the leaf table it shares with cow_three[1], "
			  "left writable");
	vm_check(&r, r.json && strstr(r.json, "\"kind\": \"table_shared\""),
		 "the JSON report has no table_shared violation");
	vm_check_exit(&r, 123);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_fork");

	itest_add(s, "fork_more_than_half_of_memory",
		  fork_more_than_half_of_memory);
	itest_add(s, "three_writers_see_own_data", three_writers_see_own_data);
	itest_add(s, "nested_forks_under_preemption",
		  nested_forks_under_preemption);
	itest_add(s, "kernel_writes_break_cow", kernel_writes_break_cow);
	itest_add(s, "shared_anonymous_survives_fork",
		  shared_anonymous_survives_fork);
	itest_add(s, "execve_replaces_the_image", execve_replaces_the_image);
	itest_add(s, "region_copy_every_alignment", region_copy_every_alignment);
	itest_add(s, "region_copy_fuzzed", region_copy_fuzzed);
	itest_add(s, "region_copy_fuzz_catches_uncleared_pages",
		  region_copy_fuzz_catches_uncleared_pages);
	itest_add(s, "orphan_outliving_its_program_ends_cleanly",
		  orphan_outliving_its_program_ends_cleanly);
	itest_add(s, "rmap_answers_who_maps_a_frame",
		  rmap_answers_who_maps_a_frame);
	itest_add(s, "wait_reports_exit_signal_and_orphans",
		  wait_reports_exit_signal_and_orphans);
	itest_add(s, "negative_control_cow_left_writable",
		  negative_control_cow_left_writable);
	itest_add(s, "negative_control_shared_table_writable",
		  negative_control_shared_table_writable);
	return itest_main(s);
}
