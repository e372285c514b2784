/*
 * test_usage.c: the command line.  Usage errors exit 64 with a "vmm: "
 * message on stderr and nothing on stdout; --help exits 0 and documents
 * every exit code.
 */
#include "harness.h"

#include <stdio.h>
#include <string.h>

static void check_usage_error(struct vm_result *r, const char *what)
{
	vm_check(r, r->exited && r->code == VMM_EXIT_USAGE,
		 "%s: vmm ended with %s, expected exit %d (usage)", what,
		 vm_status_str(r), VMM_EXIT_USAGE);
	vm_check(r, vm_match(r->err, "^vmm: ", NULL, 0) >= 0,
		 "%s: no \"vmm: \" message on stderr", what);
	vm_check(r, r->out_len == 0,
		 "%s: %zu bytes on stdout, expected none (stdout is the guest "
		 "console)", what, r->out_len);
}

START_TEST(no_arguments_is_usage_error)
{
	struct vm_result r;

	vm_run(&r, NULL);
	check_usage_error(&r, "no arguments");
	vm_result_free(&r);
}
END_TEST

START_TEST(no_kernel_is_usage_error)
{
	struct vm_result r;

	vm_run(&r, "-t", "5", NULL);
	check_usage_error(&r, "options but no KERNEL");
	vm_result_free(&r);
}
END_TEST

/* Out of range (16M..3G), not a multiple of 2 MiB, or not a size. */
static const char *const bad_mem[] = {
	"1K", "5G", "abc", "8M", "17M", "3074M", "4G", "0", "-64M", "64Q", "",
};

START_TEST(bad_mem_is_usage_error)
{
	struct vm_result r;
	char what[64];

	snprintf(what, sizeof(what), "--mem \"%s\"", bad_mem[_i]);
	vm_run(&r, "-t", "5", "--mem", bad_mem[_i], KERNEL_PATH, PROG("hello"),
	       NULL);
	check_usage_error(&r, what);
	vm_result_free(&r);
}
END_TEST

static const char *const bad_timeout[] = { "abc", "-1", "1s", "" };

START_TEST(bad_timeout_is_usage_error)
{
	struct vm_result r;
	char what[64];

	snprintf(what, sizeof(what), "--timeout \"%s\"", bad_timeout[_i]);
	vm_run(&r, "--timeout", bad_timeout[_i], KERNEL_PATH, PROG("hello"),
	       NULL);
	check_usage_error(&r, what);
	vm_result_free(&r);
}
END_TEST

START_TEST(unknown_option_is_usage_error)
{
	struct vm_result r;

	vm_run(&r, "-t", "5", "--no-such-option", KERNEL_PATH, PROG("hello"),
	       NULL);
	check_usage_error(&r, "--no-such-option");
	vm_result_free(&r);
}
END_TEST

START_TEST(missing_option_value_is_usage_error)
{
	struct vm_result r;

	vm_run(&r, KERNEL_PATH, "-m", NULL);
	check_usage_error(&r, "-m without a value");
	vm_result_free(&r);
}
END_TEST

START_TEST(help_exits_0_and_lists_exit_codes)
{
	static const char *const codes[] = { "64", "124", "125", "126" };
	struct vm_result r;
	const char *text;
	size_t i;

	vm_run(&r, "--help", NULL);
	vm_check_exit(&r, 0);
	/* Help may go to either stream; it must exist somewhere. */
	text = r.out_len ? r.out : r.err;
	vm_check(&r, vm_has_ci(text, "usage"), "--help prints no \"usage\"");
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		vm_check(&r, strstr(text, codes[i]) != NULL,
			 "--help does not mention exit code %s", codes[i]);
	vm_check(&r, strstr(text, "--mem") && strstr(text, "--timeout") &&
		     strstr(text, "--cmdline") && strstr(text, "--dev"),
		 "--help does not list every option (--mem --timeout --cmdline --dev)");
	vm_result_free(&r);

	vm_run(&r, "-h", NULL);
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_usage");

	itest_add(s, "no_arguments_is_usage_error", no_arguments_is_usage_error);
	itest_add(s, "no_kernel_is_usage_error", no_kernel_is_usage_error);
	itest_add_loop(s, "bad_mem_is_usage_error", bad_mem_is_usage_error,
		       (int)(sizeof(bad_mem) / sizeof(bad_mem[0])));
	itest_add_loop(s, "bad_timeout_is_usage_error",
		       bad_timeout_is_usage_error,
		       (int)(sizeof(bad_timeout) / sizeof(bad_timeout[0])));
	itest_add(s, "unknown_option_is_usage_error",
		  unknown_option_is_usage_error);
	itest_add(s, "missing_option_value_is_usage_error",
		  missing_option_value_is_usage_error);
	itest_add(s, "help_exits_0_and_lists_exit_codes",
		  help_exits_0_and_lists_exit_codes);
	return itest_main(s);
}
