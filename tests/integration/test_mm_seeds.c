/*
 * test_mm_seeds.c: the seeds' scenario.  mm_secret fills 256 pages with
 * its provenance tags and a secret string and exits; mm_fresh (run next,
 * serially) maps and touches as much memory, which the LIFO free lists
 * build from mm_secret's old frames.  Under clear=fault, free and idle
 * mm_fresh must see only zeros (and the host auditor, on by default, must
 * find nothing: exit 0); under clear=none it must see mm_secret's bytes,
 * and the auditor must catch them too (exit 123, "AUDIT VIOLATION").
 */
#include "test_mm_common.h"

static void run_seeds(struct vm_result *r, const char *policy)
{
	char opt[32];

	snprintf(opt, sizeof(opt), "clear=%s", policy);
	vm_boot(r, "-c", opt, "-c", "run=mm_secret,mm_fresh", KERNEL_PATH,
		PROG("mm_secret"), PROG("mm_fresh"), NULL);
}

/*
 * Which path cleared mm_fresh's frames, from its cumulative counters:
 * clear=fault clears each at the write fault; clear=free cleared
 * mm_secret's frames when it exited, and the faults find them clean.
 * (clear=idle is not checked: with serial programs the kernel never
 * idles between them, so it falls back to clearing at fault.)
 */
static void check_clear_path(struct vm_result *r, const char *policy)
{
	unsigned long at_fault, at_free, skipped;

	at_fault = vm_report_get(r, "mm_fresh.clear_at_fault");
	at_free = vm_report_get(r, "mm_fresh.clear_at_free");
	skipped = vm_report_get(r, "mm_fresh.clear_skipped_clean");
	if (!strcmp(policy, "fault"))
		vm_check(r, at_fault >= 2 * 256 && at_free == 0,
			 "clear_at_fault %lu clear_at_free %lu, expected >= 512 "
			 "(both programs' pages) and 0", at_fault, at_free);
	/* mm_secret's 256 pages are cleared when it exits; mm_fresh takes
	   the hot list's 256 most recently freed frames first, found clean.
	   The hot list holds 256 at most and mm_fresh also needs page
	   tables and slab pages, so a few of its pages come from the
	   allocator's cursor instead, clean or not as the buddy lists have
	   it: "most", not "all". */
	if (!strcmp(policy, "free"))
		vm_check(r, at_free >= 256 && skipped >= 256 - 16,
			 "clear_at_free %lu clear_skipped_clean %lu, expected "
			 ">= 256 and >= 240 (mm_secret's pages cleared at exit, "
			 "found clean)", at_free, skipped);
}

static void check_zeros(const char *policy)
{
	struct vm_result r;
	char want[64];

	run_seeds(&r, policy);
	snprintf(want, sizeof(want), ", clear=%s,", policy);
	vm_check_klog_has(&r, want);
	vm_check_out_has(&r, "mm_secret: pid 1 filled 256 pages");
	vm_check_out_line(&r, "mm_fresh: ok: 256 fresh pages read as zero "
			  "besides the markers");
	vm_check_out_lacks(&r, "stale");
	check_clear_path(&r, policy);
	mm_check_run(&r, 0);
	vm_result_free(&r);
}

START_TEST(clear_fault_fresh_sees_zeros) { check_zeros("fault"); }
END_TEST
START_TEST(clear_free_fresh_sees_zeros) { check_zeros("free"); }
END_TEST
START_TEST(clear_idle_fresh_sees_zeros) { check_zeros("idle"); }
END_TEST

/*
 * clear=idle with idle time: a sleep program between the two gives the
 * idle loop 200 ms to pre-clear mm_secret's freed frames, so most of
 * mm_fresh's faults find a clean frame and skip the clear.
 */
START_TEST(clear_idle_preclears_while_sleeping)
{
	struct vm_result r;
	unsigned long at_idle, skipped;

	vm_boot(&r, "-c", "clear=idle", "-c", "run=mm_secret,sleep,mm_fresh",
		KERNEL_PATH, PROG("mm_secret"), PROG("sleep"), PROG("mm_fresh"),
		NULL);
	vm_check_out_line(&r, "sleep: slept 200 ms");
	vm_check_out_line(&r, "mm_fresh: ok: 256 fresh pages read as zero "
			  "besides the markers");
	at_idle = vm_report_get(&r, "mm_fresh.clear_at_idle");
	skipped = vm_report_get(&r, "mm_fresh.clear_skipped_clean");
	vm_check(&r, at_idle >= 256 && skipped >= 200,
		 "clear_at_idle %lu clear_skipped_clean %lu, expected >= 256 "
		 "(pre-cleared while sleep ran) and >= 200 (found clean)",
		 at_idle, skipped);
	mm_check_run(&r, 0);
	vm_result_free(&r);
}
END_TEST

/* Negative control: with clear=none the leak must be visible. */
START_TEST(clear_none_fresh_sees_secret)
{
	struct vm_result r;
	unsigned long words;
	int spid;

	run_seeds(&r, "none");
	vm_check_klog_has(&r, "WARNING: clear=none");
	spid = (int)vm_report_get(&r, "mm_secret.pid");
	/* the leak under clear=none is observed: mm_fresh saw stale words,
	   most of them mm_secret's */
	vm_check(&r, vm_report_get(&r, "mm_fresh.stale_words") > 0,
		 "mm_fresh saw no stale words under clear=none");
	vm_check_report(&r, "mm_fresh.stale_top_pid", spid);
	words = vm_report_get(&r, "mm_fresh.stale_top_words");
	/* LIFO reuse: most of mm_secret's 256 pages come back to mm_fresh. */
	vm_check(&r, words >= 128 * 511, "%lu stale words of pid %d, expected at "
		 "least half of mm_secret's 256 pages (%d)", words, spid, 128 * 511);
	/* mm_fresh exits 1; the auditor's verdict (123) takes precedence */
	vm_check_err_has(&r, "AUDIT VIOLATION: stale content");
	mm_check_run(&r, 123);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_mm_seeds");

	itest_add(s, "clear_fault_fresh_sees_zeros", clear_fault_fresh_sees_zeros);
	itest_add(s, "clear_free_fresh_sees_zeros", clear_free_fresh_sees_zeros);
	itest_add(s, "clear_idle_fresh_sees_zeros", clear_idle_fresh_sees_zeros);
	itest_add(s, "clear_idle_preclears_while_sleeping",
		  clear_idle_preclears_while_sleeping);
	itest_add(s, "clear_none_fresh_sees_secret", clear_none_fresh_sees_secret);
	return itest_main(s);
}
