/*
 * harness.h: boot the real VMM from integration tests.
 *
 * A test runs build/vmm as a child process (fork + execv), with stdout and
 * stderr captured through pipes, and gets back how it ended, what it
 * printed and how long it took.  The harness has its own wall-clock limit
 * above the VMM's --timeout: a VMM that does not stop by then is killed
 * with SIGKILL and reported as hung, so no test can hang CI.
 *
 * Paths of build products are compiled in: BUILD_DIR comes from
 * tests/build.mk (-DBUILD_DIR="<abs path of $(B)>").
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <check.h>
#include "tmpfiles.h"
#include <stddef.h>
#include <sys/types.h>

#ifndef BUILD_DIR
#error "BUILD_DIR must be defined by the build (tests/build.mk)"
#endif

#define VMM_PATH      BUILD_DIR "/vmm"
#define KERNEL_PATH   BUILD_DIR "/kernel.elf"
#define PROG(name)    BUILD_DIR "/user/" name

/* The VMM's documented exit codes (enum vmm_exit). */
#include "vmm/vmm.h"

/*
 * Every boot gets an explicit --timeout (VM_TIMEOUT_S, passed by vm_boot)
 * and the harness kills the VMM at VM_HARD_LIMIT_S; Check's own per-test
 * limit (VM_TCASE_TIMEOUT_S) sits above both.
 */
#define VM_TIMEOUT_S       "20"
#define VM_HARD_LIMIT_S    35.0
#define VM_TCASE_TIMEOUT_S 90

struct vm_opts {
	double hard_limit;  /* seconds; <= 0 means VM_HARD_LIMIT_S */
	int    unprivileged; /* run as uid/gid 65534 with no groups */
	const char *vmm;    /* binary to run; NULL means VMM_PATH */
};

struct vm_result {
	int    exec_errno;  /* != 0: the VMM could not be started at all */
	int    hung;        /* the harness killed it at the hard limit */
	int    exited;      /* exited normally: code is valid */
	int    code;        /* exit code if exited */
	int    signo;       /* terminating signal if !exited */
	double elapsed;     /* seconds from fork to reap */
	double hard_limit;  /* the limit that applied */
	char  *out;         /* captured stdout (guest console), NUL terminated */
	size_t out_len;
	char  *err;         /* captured stderr (VMM messages, the kernel log
	                       and programs' stderr), NUL terminated */
	size_t err_len;
	char  *klog;        /* the kernel log: err's "kernel: " lines without
	                       that prefix, NUL terminated */
	char **argv;        /* copy of the command line, for reports */
	char  *json;        /* the VMM's --report-file document, or NULL */
};

/*
 * vm_runv: run the VMM with args (NULL terminated, without argv[0]).
 * Fills *r (free it with vm_result_free).  Returns 0 when the VMM ran and
 * was reaped (whatever its status), -1 when it could not be started
 * (r->exec_errno says why).
 */
int vm_runv(struct vm_result *r, const struct vm_opts *o,
	    const char *const *args);

/* vm_run: the same with a NULL-terminated argument list, default opts. */
int vm_run(struct vm_result *r, ...) __attribute__((sentinel));

/* vm_boot: vm_run with "-t" VM_TIMEOUT_S prepended. */
int vm_boot(struct vm_result *r, ...) __attribute__((sentinel));

void vm_result_free(struct vm_result *r);

/* The whole file at path, NUL terminated (malloc'd), or NULL. */
char *vm_read_file(const char *path);

/*
 * vm_transcript: a report of one run for a failure message: the command,
 * how it ended, the guest console and the VMM's stderr, each truncated to
 * a few KB (head and tail kept).  Returns a string owned by the harness,
 * valid until the next call.
 */
const char *vm_transcript(const struct vm_result *r);

/* vm_status_str: "exit 7", "signal 9", "hung", "exec failed: ...". */
const char *vm_status_str(const struct vm_result *r);

/*
 * What the guest reported (the VMM's JSON report, "guest": {"reports"}):
 * the kernel's frames_free_start/_exit, segfault.* and killed.* of the
 * last kill, and what programs report with vmm_report.  The harness asks
 * the VMM for the report (--report-file) on every run of its own VMM
 * whose arguments do not name a report themselves.  vm_report sets *v
 * and returns 1 when key is there, 0 when not.
 */
int vm_report(const struct vm_result *r, const char *key, uint64_t *v);

/* The first number member "member": N of the JSON report (the audit's
 * counts: "violations", "checkpoints", ...).  1 and *v, or 0. */
int vm_json_number(const struct vm_result *r, const char *member,
		   uint64_t *v);

/* The test fails unless key was reported; returns its value. */
#define vm_report_get(r, key)                                              \
	({                                                                 \
		uint64_t v_ = 0;                                           \
		vm_check((r), vm_report((r), (key), &v_),                  \
			 "the guest did not report \"%s\"", (key));         \
		v_;                                                        \
	})

/* The test fails unless key was reported with value want. */
#define vm_check_report(r, key, want)                                      \
	do {                                                               \
		uint64_t got_ = vm_report_get((r), (key));                 \
		vm_check((r), got_ == (uint64_t)(want), "report %s = %llu, " \
			 "expected %llu", (key), (unsigned long long)got_,   \
			 (unsigned long long)(want));                       \
	} while (0)

/* Line helpers over captured text. */
int  vm_count_lines(const char *text);
/* Offset of the first occurrence of needle in hay, or -1. */
long vm_find(const char *hay, const char *needle);
/* Is some line of text exactly line (without its newline)? */
int  vm_has_line(const char *text, const char *line);
/* Case-insensitive: does hay contain needle? */
int  vm_has_ci(const char *hay, const char *needle);
/*
 * vm_match: does some line of text match the POSIX extended regex re?
 * On a match, copies the matching line (up to cap-1 bytes) into line
 * when line != NULL, and returns its offset in text; -1 when none.
 */
long vm_match(const char *text, const char *re, char *line, size_t cap);

/*
 * Assertions that name the test and show the run.  fmt describes the
 * actual vs expected value; the transcript follows.
 */
#define vm_check(r, expr, fmt, ...)                                        \
	ck_assert_msg((expr), "[%s] " fmt "\n%s", tcase_name(),             \
		      ##__VA_ARGS__, vm_transcript(r))

/* The VMM ran to completion and exited with want. */
#define vm_check_exit(r, want)                                             \
	vm_check((r), (r)->exited && (r)->code == (want),                   \
		 "vmm ended with %s, expected exit %d",                      \
		 vm_status_str(r), (want))

#define vm_check_out_has(r, needle)                                        \
	vm_check((r), vm_find((r)->out, (needle)) >= 0,                     \
		 "programs' stdout lacks \"%s\"", (needle))

#define vm_check_out_lacks(r, needle)                                      \
	vm_check((r), vm_find((r)->out, (needle)) < 0,                      \
		 "programs' stdout has \"%s\", expected it absent", (needle))

#define vm_check_out_line(r, line)                                         \
	vm_check((r), vm_has_line((r)->out, (line)),                        \
		 "programs' stdout has no line \"%s\"", (line))

#define vm_check_klog_has(r, needle)                                       \
	vm_check((r), vm_find((r)->klog, (needle)) >= 0,                    \
		 "kernel log lacks \"%s\"", (needle))

#define vm_check_klog_lacks(r, needle)                                     \
	vm_check((r), vm_find((r)->klog, (needle)) < 0,                     \
		 "kernel log has \"%s\", expected it absent", (needle))

#define vm_check_klog_line(r, line)                                        \
	vm_check((r), vm_has_line((r)->klog, (line)),                       \
		 "kernel log has no line \"%s\"", (line))

#define vm_check_err_has(r, needle)                                        \
	vm_check((r), vm_find((r)->err, (needle)) >= 0,                     \
		 "vmm stderr lacks \"%s\"", (needle))

#define vm_check_err_has_ci(r, needle)                                     \
	vm_check((r), vm_has_ci((r)->err, (needle)),                        \
		 "vmm stderr lacks \"%s\" (any case)", (needle))

/*
 * Suite helpers: one TCase per behaviour, each with one test and the
 * harness's Check timeout; itest_main runs the suite and returns the
 * process exit status.
 */
void itest_add(Suite *s, const char *name, const TTest *fn);
void itest_add_loop(Suite *s, const char *name, const TTest *fn, int n);
/* One test with its own Check timeout (a VM run given a longer
 * vm_opts.hard_limit). */
void itest_add_slow(Suite *s, const char *name, const TTest *fn,
		    int timeout_s);
int  itest_main(Suite *s);

#endif /* HARNESS_H */
