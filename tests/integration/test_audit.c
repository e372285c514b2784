/*
 * test_audit.c: the host auditor on the real VM.  The negative control
 * (clear=none: audit_secret tags 64 pages and exits, audit_fresh gets its
 * frames back uncleared) must FAIL the audit with a report naming the
 * frame, the victim, the owner and clear=none; its twins under every real
 * clearing policy, and two taggers in a row, must pass it.  Also: the
 * --walk printout, --report-file JSON, --audit off and option errors.
 */
#include "harness.h"
#include "tmpfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define STALE_RE                                                           \
	"^vmm: AUDIT VIOLATION: stale content: frame 0x[0-9a-f]+ mapped by "  \
	"pid 2 at VA 0x[0-9a-f]+ holds pid 1's tag at offset 0x[0-9a-f]+ "   \
	"\\(clear=none\\); [0-9]+ of its words carry pid 1's tags "           \
	"\\[at exit of pid 2\\]$"
#define SUMMARY_RE \
	"^vmm: audit: [0-9]+ checkpoints, [0-9]+ frames scanned, [0-9]+ violations$"

/* audit_secret then audit_fresh, serially, under clear=policy (policy
 * may go on with more kernel options), with the VMM option extra (or
 * none). */
static void run_pair(struct vm_result *r, const char *policy,
		     const char *extra)
{
	char opt[96];

	snprintf(opt, sizeof(opt), "clear=%s", policy);
	if (extra)
		vm_boot(r, extra, "-c", opt, "-c", "run=audit_secret,audit_fresh",
			KERNEL_PATH, PROG("audit_secret"), PROG("audit_fresh"),
			NULL);
	else
		vm_boot(r, "-c", opt, "-c", "run=audit_secret,audit_fresh",
			KERNEL_PATH, PROG("audit_secret"), PROG("audit_fresh"),
			NULL);
}

/* A number of the JSON report's "audit" object (-1 when absent). */
static long audit_number(const struct vm_result *r, const char *member)
{
	uint64_t v;

	return vm_json_number(r, member, &v) ? (long)v : -1;
}

/* The audit's violation count (-1: no JSON report). */
static long violations(const struct vm_result *r)
{
	return audit_number(r, "violations");
}

static void check_passes(struct vm_result *r)
{
	vm_check(r, violations(r) == 0, "the audit reports %ld violations "
		 "(-1: no JSON report), expected 0", violations(r));
	vm_check(r, vm_match(r->err, SUMMARY_RE, NULL, 0) >= 0,
		 "no audit summary line on stderr");
	vm_check(r, vm_find(r->err, "AUDIT VIOLATION") < 0,
		 "a violation was reported, expected none");
	vm_check_exit(r, 0);
}

START_TEST(negative_control_clear_none_fails_audit)
{
	struct vm_result r;
	long v;

	run_pair(&r, "none", NULL);
	vm_check_out_has(&r, "audit_secret: pid 1 tagged 64 pages");
	vm_check_out_has(&r, "audit_fresh: pid 2 wrote a marker in 64 pages");
	vm_check(&r, vm_match(r.err, STALE_RE, NULL, 0) >= 0,
		 "no report matching /%s/ on stderr", STALE_RE);
	v = violations(&r);
	/* LIFO reuse: most of audit_secret's 64 frames come back. */
	vm_check(&r, v >= 32, "%ld violations, expected at least 32 of "
		 "audit_secret's 64 pages seen by audit_fresh", v);
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

/* Same, every frame rescanned (no dirty log): still caught. */
START_TEST(negative_control_caught_by_full_scan)
{
	struct vm_result r;

	run_pair(&r, "none", "--audit-full");
	vm_check(&r, vm_match(r.err, STALE_RE, NULL, 0) >= 0,
		 "no report matching /%s/ on stderr", STALE_RE);
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

START_TEST(twin_clear_fault_passes)
{
	struct vm_result r;

	run_pair(&r, "fault", NULL);
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

START_TEST(twin_clear_free_passes)
{
	struct vm_result r;

	run_pair(&r, "free", NULL);
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

START_TEST(twin_clear_idle_passes)
{
	struct vm_result r;

	run_pair(&r, "idle", NULL);
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

/* Two programs writing tags, one after the other: nothing stale. */
START_TEST(two_taggers_pass)
{
	struct vm_result r;

	vm_boot(&r, "-c", "clear=fault", "-c", "run=audit_secret,audit_secret",
		KERNEL_PATH, PROG("audit_secret"), NULL);
	vm_check_out_has(&r, "audit_secret: pid 2 tagged 64 pages");
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

/* With the audit off, the negative control runs to completion silently. */
START_TEST(audit_off_is_silent)
{
	struct vm_result r;

	run_pair(&r, "none", "--audit=off");
	vm_check(&r, violations(&r) == -1, "an audit summary with --audit off");
	vm_check(&r, vm_find(r.err, "AUDIT") < 0, "an audit report with "
		 "--audit off");
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

#define WALK_RE                                                            \
	"^vmm: walk pid 1 VA 0x400000 \\(root 0x[0-9a-f]+\\): "               \
	"PML4\\[0\\]=0x[0-9a-f]+\\(P RW US[ A-Z]*\\) -> "                      \
	"PDPT\\[0\\]=0x[0-9a-f]+\\(P RW US[ A-Z]*\\) -> "                      \
	"PD\\[2\\]=0x[0-9a-f]+\\(P RW US[ A-Z]*\\) -> "                        \
	"PT\\[0\\]=0x[0-9a-f]+\\(P US[ A-Z]*\\) -> "                           \
	"frame 0x[0-9a-f]+000 \\+ 0x0 \\(4 KiB page\\)$"

/* --walk of the text page when pid 1 goes away: read-only, user, 4 KiB. */
START_TEST(walk_printed_level_by_level)
{
	struct vm_result r;

	vm_boot(&r, "--walk", "1:0x400000", "--walk", "9:0x1000", KERNEL_PATH,
		PROG("hello"), NULL);
	vm_check(&r, vm_match(r.err, WALK_RE, NULL, 0) >= 0,
		 "no walk line matching /%s/", WALK_RE);
	vm_check_err_has(&r, "walk pid 9 VA 0x1000: no such address space");
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

START_TEST(json_report_to_file)
{
	struct vm_result r;
	char *dir = tmp_dir(), path[512], buf[65536];
	FILE *f;
	size_t n;

	ck_assert_msg(dir != NULL, "tmp_dir failed");
	snprintf(path, sizeof(path), "%s/audit.json", dir);
	vm_boot(&r, "--report-file", path, "-c", "clear=none", "-c",
		"run=audit_secret,audit_fresh", KERNEL_PATH,
		PROG("audit_secret"), PROG("audit_fresh"), NULL);
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	f = fopen(path, "r");
	vm_check(&r, f != NULL, "no JSON report at %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	vm_check(&r, strstr(buf, "{\"audit\": {\"mode\": \"checkpoint\", "
			    "\"clear\": \"none\"") == buf,
		 "JSON starts \"%.80s\"", buf);
	vm_check(&r, strstr(buf, "\"kind\": \"stale_content\"") &&
		 strstr(buf, "\"pid\": 2, \"owner\": 1,"),
		 "JSON lacks a stale_content report of pid 2 / owner 1: %.300s",
		 buf);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

START_TEST(bad_audit_options_are_usage_errors)
{
	struct vm_result r;

	vm_boot(&r, "--audit", "sometimes", KERNEL_PATH, NULL);
	vm_check_err_has(&r, "--audit: unknown mode 'sometimes'");
	vm_check_exit(&r, VMM_EXIT_USAGE);
	vm_result_free(&r);
	vm_boot(&r, "--walk", "1-0x400000", KERNEL_PATH, NULL);
	vm_check_err_has(&r, "--walk: '1-0x400000' is not PID:VA");
	vm_check_exit(&r, VMM_EXIT_USAGE);
	vm_result_free(&r);
	vm_boot(&r, "--report", "xml", KERNEL_PATH, NULL);
	vm_check_err_has(&r, "--report: unknown format 'xml'");
	vm_check_exit(&r, VMM_EXIT_USAGE);
	vm_result_free(&r);
}
END_TEST

/* Strict mode: the kernel checkpoints after every fault, so the stale
   pages are caught while audit_fresh runs, not only at its exit. */
START_TEST(strict_catches_at_a_checkpoint)
{
	struct vm_result r;

	run_pair(&r, "none", "--audit=strict");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: stale content: .* "
			      "\\(clear=none\\); .*\\[at checkpoint [0-9]+\\]$",
			      NULL, 0) >= 0,
		 "no stale-content report made at a checkpoint");
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

START_TEST(strict_twin_clear_fault_passes)
{
	struct vm_result r;
	long c;

	run_pair(&r, "fault", "--audit=strict");
	check_passes(&r);
	c = audit_number(&r, "checkpoints");
	vm_check(&r, c >= 128, "%ld checkpoints, expected one per fault "
		 "(>= 128 for two programs touching 64 pages each)", c);
	vm_result_free(&r);
}
END_TEST

/* inject=zero_write: the kernel dirties the zero page; the auditor must
   say so.  The twin without the bug passes (two_taggers_pass etc.). */
START_TEST(negative_control_zero_page_write)
{
	struct vm_result r;

	vm_boot(&r, "-c", "inject=zero_write", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_klog_has(&r, "INJECTED BUG: wrote 0x5a into the zero page");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: zero page dirty: "
			      "frame 0x[0-9a-f]+ \\(the zero page\\) holds "
			      "0x0000005a00000000 at offset 0x60", NULL, 0) >= 0,
		 "no zero-page report naming the injected byte");
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

/* inject=leak_frame: one frame never returns to the free lists. */
START_TEST(negative_control_leaked_frame)
{
	struct vm_result r;

	vm_boot(&r, "-c", "inject=leak_frame", KERNEL_PATH, PROG("hello"), NULL);
	vm_check_klog_has(&r, "INJECTED BUG: leaked frame");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: leak: 1 frames not "
			      "back on the free lists at VM exit", NULL, 0) >= 0,
		 "no leak report for the one injected frame");
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

/*
 * page_poison=1: freed frames hold mm/poison.h's pattern.  The twin runs
 * (a tagger then a fresh process under clear=fault; a child exiting
 * under its parent's copy-on-write pages) must pass with frames really
 * poisoned; the two injected bugs must each be named: a frame freed
 * under its parent's mapping (use after free; the kernel's own check
 * panics later, at the parent's exit: 126) and user pages handed out
 * without their clear (skipped clear).
 */
static uint64_t klog_counter(const struct vm_result *r, const char *name)
{
	char key[64];
	const char *at;
	unsigned long long v = 0;

	snprintf(key, sizeof(key), "\n%s ", name);
	at = r->klog ? strstr(r->klog, key) : NULL;
	return at && sscanf(at + strlen(key), "%llu", &v) == 1 ? v : 0;
}

START_TEST(poison_twins_pass)
{
	struct vm_result r;

	run_pair(&r, "fault page_poison=1 dump=vmstat", NULL);
	vm_check(&r, klog_counter(&r, "poison_at_free") >= 64,
		 "poison_at_free %llu: audit_secret's 64 frames were not "
		 "poisoned", (unsigned long long)klog_counter(&r,
							      "poison_at_free"));
	check_passes(&r);
	vm_result_free(&r);

	vm_boot(&r, "--audit", "strict", "-c", "page_poison=1", KERNEL_PATH,
		PROG("cow_exit"), NULL);
	vm_check_out_has(&r, "cow_exit: ok: 16 pages intact after the child's exit");
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

START_TEST(negative_control_use_after_free)
{
	struct vm_result r;

	/* ptshare=0: the inject frees a COW frame, and with shared leaf
	 * tables the child's pages are not COW entries of their own */
	vm_boot(&r, "-c", "ptshare=0 page_poison=1 inject=use_after_free",
		KERNEL_PATH,
		PROG("cow_exit"), NULL);
	vm_check_klog_has(&r, "INJECTED BUG: the exit of cow_exit[2] freed frame");
	vm_check_out_has(&r, "cow_exit: FAIL: 512 words lost after the child's exit");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: use after free: "
			      "frame 0x[0-9a-f]+ mapped by pid 1 at VA "
			      "0x[0-9a-f]+ is free in the kernel's frame table "
			      "and holds free-frame poison \\(512 of its "
			      "words, the first at offset 0x0\\) \\[at exit of "
			      "pid 1\\]$", NULL, 0) >= 0,
		 "no use-after-free report for the parent's page");
	vm_check(&r, r.json && strstr(r.json, "\"kind\": \"use_after_free\""),
		 "the JSON report has no use_after_free violation");
	vm_check_klog_has(&r, "has mapcount 0");
	vm_check_exit(&r, VMM_EXIT_CRASH);
	vm_result_free(&r);
}
END_TEST

START_TEST(negative_control_skipped_clear)
{
	struct vm_result r;

	run_pair(&r, "fault page_poison=1 inject=skip_clear", NULL);
	vm_check_klog_has(&r, "INJECTED BUG: the exit of audit_secret[1] "
			  "stopped the clearing of freed user pages");
	vm_check(&r, vm_match(r.err, "^vmm: AUDIT VIOLATION: skipped clear: "
			      "frame 0x[0-9a-f]+ mapped by pid 2 at VA "
			      "0x[0-9a-f]+ still holds the poison of its last "
			      "free \\([0-9]+ of its words, the first at offset "
			      "0x[0-9a-f]+\\): it was handed out without its "
			      "clear \\(clear=fault\\)", NULL, 0) >= 0,
		 "no skipped-clear report for audit_fresh's pages");
	vm_check(&r, violations(&r) >= 32, "%ld violations, expected at least "
		 "32 of audit_fresh's 64 pages", violations(&r));
	vm_check(&r, r.json && strstr(r.json, "\"kind\": \"skipped_clear\""),
		 "the JSON report has no skipped_clear violation");
	vm_check_exit(&r, VMM_EXIT_AUDIT);
	vm_result_free(&r);
}
END_TEST

START_TEST(twin_no_injection_passes)
{
	struct vm_result r;

	vm_boot(&r, KERNEL_PATH, PROG("hello"), NULL);
	check_passes(&r);
	vm_result_free(&r);
}
END_TEST

/* --pagemap: Linux pagemap entries for hello's pages; --frames: the
   summary at its exit and at VM exit. */
START_TEST(pagemap_and_frame_summary)
{
	struct vm_result r;
	char opt[600], line[512];
	uint64_t e = 0;
	unsigned long total, nfree, zero, anon, shared, pt, kernel;
	FILE *f;

	char *dir = tmp_dir();

	snprintf(opt, sizeof(opt), "1:%s/pagemap.1", dir);
	vm_boot(&r, "--pagemap", opt, "--frames", KERNEL_PATH, PROG("hello"),
		NULL);
	vm_check_exit(&r, 0);
	f = fopen(opt + 2, "rb");
	vm_check(&r, f != NULL, "no pagemap file %s", opt + 2);
	vm_check(&r, fseek(f, (0x400000 >> 12) * 8, SEEK_SET) == 0 &&
		     fread(&e, sizeof(e), 1, f) == 1, "pagemap too short");
	fclose(f);
	vm_check(&r, (e >> 63) == 1 && (e & ((1ULL << 55) - 1)) != 0 &&
		     ((e >> 62) & 1) == 0,
		 "pagemap entry for 0x400000 is %#llx, expected present with a "
		 "PFN and not swapped", (unsigned long long)e);
	vm_check(&r, vm_match(r.err, "^vmm: frames at exit of pid 1: ", NULL, 0) >= 0,
		 "no frame summary at the exit of pid 1");
	vm_check(&r, vm_match(r.err, "^vmm: frames at VM exit: .*", line,
			      sizeof(line)) >= 0, "no frame summary at VM exit");
	vm_check(&r, sscanf(line, "vmm: frames at VM exit: %lu total: %lu free, "
			    "%lu zero page, %lu anonymous (%lu of them shared), "
			    "%lu page table, %lu kernel", &total, &nfree, &zero,
			    &anon, &shared, &pt, &kernel) == 7,
		 "cannot parse \"%s\"", line);
	vm_check(&r, anon == 0 && pt == 0 && total == nfree + kernel &&
		     total == 64 * 256,
		 "at VM exit: %lu total, %lu free, %lu anonymous, %lu page "
		 "table, %lu kernel; expected no user frames and 16384 total",
		 total, nfree, anon, pt, kernel);
	vm_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

/* --maps: a checkpoint requested by a program lists every live process
   (parent and child), and the shared mapping is legitimate sharing. */
START_TEST(maps_of_live_processes_at_a_checkpoint)
{
	struct vm_result r;
	const char *p;
	int parent = 0, child = 0;

	vm_boot(&r, "--maps", KERNEL_PATH, PROG("checkpoint_maps"), NULL);
	vm_check_out_line(&r, "checkpoint_maps: ok");
	/* before the child's exit listing: both listed at the checkpoint */
	for (p = r.klog; (p = strstr(p, "maps of checkpoint_maps[")); p++) {
		if (!strncmp(p + 24, "1]:", 3))
			parent++;
		if (!strncmp(p + 24, "2]:", 3))
			child++;
	}
	vm_check(&r, parent == 2 && child == 2,
		 "%d listings of pid 1 and %d of pid 2, expected 2 each (the "
		 "checkpoint and the exit)", parent, child);
	vm_check(&r, vm_match(r.klog, "^7fff[0-9a-f]+-7fff[0-9a-f]+ rw-s ", NULL,
			      0) >= 0, "no rw-s shared mapping listed");
	vm_check(&r, violations(&r) == 0, "%ld violations, expected 0",
		 violations(&r));
	vm_check_err_has(&r, "audit: 1 checkpoints");
	vm_check_exit(&r, 0);
	vm_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_audit");

	itest_add(s, "negative_control_clear_none_fails_audit",
		  negative_control_clear_none_fails_audit);
	itest_add(s, "negative_control_caught_by_full_scan",
		  negative_control_caught_by_full_scan);
	itest_add(s, "twin_clear_fault_passes", twin_clear_fault_passes);
	itest_add(s, "twin_clear_free_passes", twin_clear_free_passes);
	itest_add(s, "twin_clear_idle_passes", twin_clear_idle_passes);
	itest_add(s, "two_taggers_pass", two_taggers_pass);
	itest_add(s, "audit_off_is_silent", audit_off_is_silent);
	itest_add(s, "walk_printed_level_by_level", walk_printed_level_by_level);
	itest_add(s, "json_report_to_file", json_report_to_file);
	itest_add(s, "strict_catches_at_a_checkpoint",
		  strict_catches_at_a_checkpoint);
	itest_add(s, "strict_twin_clear_fault_passes",
		  strict_twin_clear_fault_passes);
	itest_add(s, "negative_control_zero_page_write",
		  negative_control_zero_page_write);
	itest_add(s, "negative_control_leaked_frame",
		  negative_control_leaked_frame);
	itest_add(s, "twin_no_injection_passes", twin_no_injection_passes);
	itest_add(s, "poison_twins_pass", poison_twins_pass);
	itest_add(s, "negative_control_use_after_free",
		  negative_control_use_after_free);
	itest_add(s, "negative_control_skipped_clear",
		  negative_control_skipped_clear);
	itest_add(s, "pagemap_and_frame_summary", pagemap_and_frame_summary);
	itest_add(s, "maps_of_live_processes_at_a_checkpoint",
		  maps_of_live_processes_at_a_checkpoint);
	itest_add(s, "bad_audit_options_are_usage_errors",
		  bad_audit_options_are_usage_errors);
	return itest_main(s);
}
