/*
 * test_boot.c: the VMM boots the kernel and runs ring-3 programs; the
 * guest's exit status becomes the VMM's; the kernel command line picks
 * programs; args after "--" reach argv; fd 1, fd 2 and the kernel log
 * arrive apart (stdout, stderr, --klog) or merged (--console merged).
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(hello_prints_and_exits_0)
{
	struct vm_result r;
	char line[256];

	vm_boot(&r, KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	vm_check(&r, vm_match(r.out, "hello from ring 3: pid [0-9]+ ppid [0-9]+",
			      line, sizeof(line)) >= 0,
		 "no \"hello from ring 3: pid P ppid Q\" line on the console");
	vm_check_out_line(&r, "argv[0] = hello");
	vm_result_free(&r);
}
END_TEST

/* What streams.c writes. */
static const char streams_out[] = "out: one\nout: \0\x01\xff bytes\nout: no newline";
static const char streams_err[] = "err: one\nerr: \0\xfe bytes\n";

/* --klog FILE: fd 1 alone on stdout, fd 2 alone on stderr, byte for
 * byte; the kernel's lines (the child's segfault) only in FILE. */
START_TEST(three_streams_apart)
{
	struct vm_result r;
	char *dir = tmp_dir(), path[4200], *klog;

	ck_assert(dir);
	snprintf(path, sizeof(path), "%s/klog", dir);
	vm_boot(&r, "--audit", "off", "--klog", path, KERNEL_PATH,
		PROG("streams"), NULL);
	vm_check_exit(&r, 0);
	vm_check(&r, r.out_len == sizeof(streams_out) - 1 &&
		     !memcmp(r.out, streams_out, r.out_len),
		 "stdout is not exactly what the program wrote to fd 1");
	vm_check(&r, r.err_len == sizeof(streams_err) - 1 &&
		     !memcmp(r.err, streams_err, r.err_len),
		 "stderr is not exactly what the program wrote to fd 2");
	klog = vm_read_file(path);
	vm_check(&r, klog && vm_match(klog, "^streams\\[2\\]: segfault at 10 ",
				      NULL, 0) >= 0 &&
		     vm_has_line(klog, "all programs done, exit status 0"),
		 "kernel log file lacks the segfault or the last line:\n%s",
		 klog ? klog : "(unreadable)");
	free(klog);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

/* Offset of s in the whole of stdout (NULs included), or -1. */
static long find_bytes(const struct vm_result *r, const char *s)
{
	const char *p = memmem(r->out, r->out_len, s, strlen(s));

	return p ? p - r->out : -1;
}

/* By default the kernel log shares stderr, each line "kernel: ...";
 * --console merged puts everything on stdout, in order. */
START_TEST(klog_on_stderr_or_merged)
{
	struct vm_result r;
	long o, e, k;

	vm_boot(&r, "--audit", "off", KERNEL_PATH, PROG("streams"), NULL);
	vm_check_exit(&r, 0);
	vm_check(&r, r.out_len == sizeof(streams_out) - 1 &&
		     !memcmp(r.out, streams_out, r.out_len),
		 "stdout is not exactly what the program wrote to fd 1");
	vm_check(&r, memmem(r.err, r.err_len, streams_err,
			    sizeof(streams_err) - 1) != NULL,
		 "stderr lacks what the program wrote to fd 2");
	vm_check(&r, vm_match(r.klog, "^streams\\[2\\]: segfault at 10 ",
			      NULL, 0) >= 0, "no \"kernel: \" segfault line on stderr");
	vm_result_free(&r);

	vm_boot(&r, "--audit", "off", "--console", "merged", KERNEL_PATH,
		PROG("streams"), NULL);
	vm_check_exit(&r, 0);
	o = find_bytes(&r, "out: one\n");
	e = find_bytes(&r, "err: one\n");
	k = find_bytes(&r, "kernel: streams[2]: segfault at 10 ");
	vm_check(&r, o >= 0 && e > o && k > e,
		 "merged console out of order: stdout at %ld, stderr at %ld, "
		 "kernel at %ld", o, e, k);
	vm_check(&r, r.err_len == 0, "stderr has %zu bytes, expected none",
		 r.err_len);
	vm_result_free(&r);
}
END_TEST

/* --prefault backs RAM before the guest runs: through
 * KVM_PRE_FAULT_MEMORY where KVM has it, else by the kernel at boot. */
START_TEST(prefault_backs_ram_first)
{
	struct vm_result r;

	vm_boot(&r, "-v", "--prefault", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	vm_check_out_line(&r, "argv[0] = hello");
	vm_check(&r, vm_find(r.err, "MiB through KVM_PRE_FAULT_MEMORY") >= 0 ||
		     (vm_find(r.err, "no KVM_PRE_FAULT_MEMORY here") >= 0 &&
		      vm_match(r.klog, "^prefault=ram: touched [0-9]+ pages$",
			       NULL, 0) >= 0),
		 "neither KVM nor the kernel prefaulted RAM");
	vm_result_free(&r);
}
END_TEST

START_TEST(exit_status_is_vmm_status)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("exit7"), NULL);
	vm_check_exit(&r, 7);
	vm_result_free(&r);
}
END_TEST

START_TEST(args_after_dashdash_reach_argv)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("hello"), "--", "first", "-x", "3rd",
		NULL);
	vm_check_exit(&r, 0);
	vm_check_out_line(&r, "argv[0] = hello");
	vm_check_out_line(&r, "argv[1] = first");
	vm_check_out_line(&r, "argv[2] = -x");
	vm_check_out_line(&r, "argv[3] = 3rd");
	vm_check_out_lacks(&r, "argv[4]");
	vm_result_free(&r);
}
END_TEST

/* Every started program gets the same args. */
START_TEST(args_reach_every_program)
{
	struct vm_result r;
	long first, second;

	vm_boot(&r, "-c", "run=hello,hello", KERNEL_PATH, PROG("hello"), "--",
		"shared", NULL);
	vm_check_exit(&r, 0);
	first = vm_find(r.out, "argv[1] = shared\n");
	second = first < 0 ? -1 : vm_find(r.out + first + 1, "argv[1] = shared\n");
	vm_check(&r, first >= 0 && second >= 0,
		 "\"argv[1] = shared\" printed %d times, expected 2 (once per hello)",
		 first < 0 ? 0 : second < 0 ? 1 : 2);
	vm_result_free(&r);
}
END_TEST

/* An argument is one argv entry even when it holds a space. */
START_TEST(args_with_spaces_kept_whole)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("hello"), "--", "two words", "x", NULL);
	vm_check_exit(&r, 0);
	vm_check_out_line(&r, "argv[1] = two words");
	vm_check_out_line(&r, "argv[2] = x");
	vm_check_out_lacks(&r, "argv[3]");
	vm_result_free(&r);
}
END_TEST

START_TEST(libctest_passes)
{
	struct vm_result r;
	char line[256];

	vm_boot(&r, KERNEL_PATH, PROG("libctest"), NULL);
	vm_check(&r, vm_match(r.out, "libctest: [0-9]+ checks, [0-9]+ failed",
			      line, sizeof(line)) >= 0,
		 "no \"libctest: N checks, M failed\" summary line");
	vm_check(&r, vm_match(r.out, "libctest: [1-9][0-9]* checks, 0 failed",
			      NULL, 0) >= 0,
		 "libctest summary is \"%s\", expected some checks and 0 failed",
		 line);
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

/* Programs run one after another; the last one's status is the VM's. */
START_TEST(serial_runs_all_last_status_wins)
{
	struct vm_result r;
	long h;

	vm_boot(&r, KERNEL_PATH, PROG("hello"), PROG("exit7"), NULL);
	vm_check_exit(&r, 7);
	h = vm_find(r.out, "hello from ring 3");
	vm_check(&r, h >= 0, "hello (the first program) never ran");
	vm_result_free(&r);

	vm_boot(&r, KERNEL_PATH, PROG("exit7"), PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	vm_check_out_has(&r, "hello from ring 3");
	vm_result_free(&r);
}
END_TEST

/* run=NAME,... selects programs and their order. */
START_TEST(cmdline_run_selects_and_orders)
{
	struct vm_result r;

	/* Default order would end with exit7 (status 7). */
	vm_boot(&r, "-c", "run=exit7,hello", KERNEL_PATH, PROG("hello"),
		PROG("exit7"), NULL);
	vm_check_exit(&r, 0);
	vm_check_out_has(&r, "hello from ring 3");
	vm_result_free(&r);

	vm_boot(&r, "-c", "run=exit7", KERNEL_PATH, PROG("hello"),
		PROG("exit7"), NULL);
	vm_check_exit(&r, 7);
	vm_check_out_lacks(&r, "hello from ring 3");
	vm_result_free(&r);
}
END_TEST

/* stdout carries only the guest console; VMM messages go to stderr. */
START_TEST(verbose_goes_to_stderr)
{
	struct vm_result r;

	vm_boot(&r, "-v", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	vm_check_out_has(&r, "hello from ring 3");
	vm_check(&r, vm_match(r.out, "^vmm:", NULL, 0) < 0,
		 "a \"vmm:\" line is on stdout, expected only the guest console");
	vm_check(&r, vm_has_ci(r.err, "kvm_pvm") || vm_has_ci(r.err, "kvm_intel") ||
		     vm_has_ci(r.err, "kvm_amd"),
		 "-v does not name the KVM backend (kvm_pvm/kvm_intel/kvm_amd) on stderr");
	vm_check(&r, vm_match(r.err, "^vmm: ", NULL, 0) >= 0,
		 "no stderr line starts with \"vmm: \"");
	vm_result_free(&r);
}
END_TEST

/* dump=maps,vmstat: the host asks the kernel to print its mm view. */
START_TEST(dump_maps_and_vmstat)
{
	struct vm_result r;

	vm_boot(&r, "-c", "dump=maps,vmstat", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_exit(&r, 0);
	vm_check_klog_line(&r, "maps of hello[1]:");
	/* text is a private mapping of the file, named, at its file offset */
	vm_check(&r, vm_match(r.klog, "^00400000-[0-9a-f]+ r-xp 0000[0-9a-f]{4} "
			      "00:00 0 +hello$", NULL, 0) >= 0,
		 "no r-xp text mapping of the file hello at 0x400000");
	vm_check(&r, vm_match(r.klog, "^7ffffff[0-9a-f]+-7ffffffff000 rw-p .*\\[stack\\]$",
			      NULL, 0) >= 0, "no [stack] mapping ending at 0x7ffffffff000");
	vm_check_klog_line(&r, "vmstat:");
	vm_check(&r, vm_match(r.klog, "^fault_demand_zero [1-9][0-9]*$", NULL, 0) >= 0,
		 "no non-zero fault_demand_zero counter in the vmstat dump");
	vm_check_klog_line(&r, "clear_policy fault");
	vm_result_free(&r);
}
END_TEST

/* Accepted --mem forms boot. */
static const char *const good_mem[] = { "16M", "48MiB", "1G", "65536K" };

START_TEST(mem_sizes_accepted)
{
	struct vm_result r;

	vm_boot(&r, "-m", good_mem[_i], KERNEL_PATH, PROG("exit7"), NULL);
	vm_check(&r, r.exited && r.code == 7,
		 "with --mem %s: vmm ended with %s, expected exit 7",
		 good_mem[_i], vm_status_str(&r));
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_boot");

	itest_add(s, "hello_prints_and_exits_0", hello_prints_and_exits_0);
	itest_add(s, "exit_status_is_vmm_status", exit_status_is_vmm_status);
	itest_add(s, "three_streams_apart", three_streams_apart);
	itest_add(s, "prefault_backs_ram_first", prefault_backs_ram_first);
	itest_add(s, "klog_on_stderr_or_merged", klog_on_stderr_or_merged);
	itest_add(s, "args_after_dashdash_reach_argv",
		  args_after_dashdash_reach_argv);
	itest_add(s, "args_reach_every_program", args_reach_every_program);
	itest_add(s, "args_with_spaces_kept_whole", args_with_spaces_kept_whole);
	itest_add(s, "libctest_passes", libctest_passes);
	itest_add(s, "serial_runs_all_last_status_wins",
		  serial_runs_all_last_status_wins);
	itest_add(s, "cmdline_run_selects_and_orders",
		  cmdline_run_selects_and_orders);
	itest_add(s, "verbose_goes_to_stderr", verbose_goes_to_stderr);
	itest_add(s, "dump_maps_and_vmstat", dump_maps_and_vmstat);
	itest_add_loop(s, "mem_sizes_accepted", mem_sizes_accepted,
		       (int)(sizeof(good_mem) / sizeof(good_mem[0])));
	return itest_main(s);
}
