/*
 * test_harness.c: the harness itself, with /bin/sh standing in for the
 * VMM (no KVM needed).  A broken harness would make every integration
 * test pass or hang for the wrong reason.
 */
#include "harness.h"

#include <string.h>

static void sh(struct vm_result *r, double limit, const char *script)
{
	const struct vm_opts o = { .hard_limit = limit, .vmm = "/bin/sh" };
	const char *args[] = { "-c", script, NULL };

	vm_runv(r, &o, args);
}

START_TEST(captures_streams_and_status)
{
	struct vm_result r;

	sh(&r, 10, "echo out; echo err >&2; exit 7");
	vm_check_exit(&r, 7);
	vm_check(&r, strcmp(r.out, "out\n") == 0, "stdout \"%s\", expected \"out\\n\"",
		 r.out);
	vm_check(&r, strcmp(r.err, "err\n") == 0, "stderr \"%s\", expected \"err\\n\"",
		 r.err);
	vm_result_free(&r);
}
END_TEST

START_TEST(large_output_drained)
{
	struct vm_result r;

	/* Far more than a pipe buffer on both streams at once. */
	sh(&r, 20, "i=0; while [ $i -lt 3000 ]; do "
		   "echo 0123456789012345678901234567890123456789; "
		   "echo abcdefghijabcdefghijabcdefghij >&2; i=$((i+1)); done");
	vm_check_exit(&r, 0);
	vm_check(&r, r.out_len == 3000 * 41, "stdout %zu bytes, expected %d",
		 r.out_len, 3000 * 41);
	vm_check(&r, r.err_len == 3000 * 31, "stderr %zu bytes, expected %d",
		 r.err_len, 3000 * 31);
	vm_result_free(&r);
}
END_TEST

START_TEST(hard_limit_kills_hang)
{
	struct vm_result r;

	sh(&r, 1.0, "echo before; exec sleep 100");
	vm_check(&r, r.hung, "a 100 s sleep was not reported hung at a 1 s limit");
	vm_check(&r, r.elapsed < 5, "killed after %.2f s, expected about 1 s",
		 r.elapsed);
	vm_check(&r, strcmp(r.out, "before\n") == 0,
		 "output before the hang lost: \"%s\"", r.out);
	vm_check(&r, !(r.exited && r.code == 0), "a hung run counts as exit 0");
	vm_result_free(&r);
}
END_TEST

/* A child that closes its pipes but keeps running is still a hang. */
START_TEST(hard_limit_kills_silent_hang)
{
	struct vm_result r;

	sh(&r, 1.0, "exec sleep 100 >/dev/null 2>&1");
	vm_check(&r, r.hung, "not reported hung");
	vm_check(&r, r.elapsed < 5, "killed after %.2f s, expected about 1 s",
		 r.elapsed);
	vm_result_free(&r);
}
END_TEST

START_TEST(signal_reported)
{
	struct vm_result r;

	sh(&r, 10, "kill -SEGV $$");
	vm_check(&r, !r.exited && r.signo == 11, "ended with %s, expected signal 11",
		 vm_status_str(&r));
	vm_result_free(&r);
}
END_TEST

START_TEST(exec_failure_reported)
{
	struct vm_result r;
	const struct vm_opts o = { .vmm = "/nonexistent/vmm" };
	const char *args[] = { NULL };

	vm_check(&r, vm_runv(&r, &o, args) == -1 && r.exec_errno != 0,
		 "running a missing binary returned %s", vm_status_str(&r));
	vm_result_free(&r);
}
END_TEST

START_TEST(match_finds_line)
{
	const char *text = "one\nsegv[2]: segfault at dead000 ip 1\nthree\n";
	char line[64];
	long off = vm_match(text, "^segv\\[[0-9]+\\]: segfault", line, sizeof(line));

	ck_assert_msg(off == 4, "match at %ld, expected 4", off);
	ck_assert_msg(strcmp(line, "segv[2]: segfault at dead000 ip 1") == 0,
		      "matched line \"%s\"", line);
	ck_assert_msg(vm_match(text, "^three$", NULL, 0) > 0, "anchored match");
	ck_assert_msg(vm_match(text, "four", NULL, 0) == -1, "false match");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_harness");

	itest_add(s, "captures_streams_and_status", captures_streams_and_status);
	itest_add(s, "large_output_drained", large_output_drained);
	itest_add(s, "hard_limit_kills_hang", hard_limit_kills_hang);
	itest_add(s, "hard_limit_kills_silent_hang", hard_limit_kills_silent_hang);
	itest_add(s, "signal_reported", signal_reported);
	itest_add(s, "exec_failure_reported", exec_failure_reported);
	itest_add(s, "match_finds_line", match_finds_line);
	return itest_main(s);
}
