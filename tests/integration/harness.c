/*
 * harness.c: run build/vmm as a child process and capture what it does.
 * See harness.h for the contract.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS        64
#define CAPTURE_MAX     (4u << 20)  /* bytes kept per stream */
#define SHOW_HEAD       1536        /* bytes shown from the start ... */
#define SHOW_TAIL       2048        /* ... and from the end of a stream */
#define NOBODY_ID       65534

struct buf {
	char  *p;
	size_t len, cap;
	int    dropped; /* bytes beyond CAPTURE_MAX were discarded */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void buf_add(struct buf *b, const char *data, size_t n)
{
	if (b->len + n > CAPTURE_MAX) {
		b->dropped = 1;
		n = CAPTURE_MAX - b->len;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void buf_finish(struct buf *b)
{
	if (!b->p)
		buf_add(b, "", 0);
}

/* Child side: never returns.  Reports a failed exec through errfd. */
static void child_exec(const struct vm_opts *o, char **argv, int outfd,
		       int errfd, int statfd)
{
	int e, devnull;

	setpgid(0, 0);
	/* If the test process dies (Check's timeout), take the VMM along. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(outfd, STDOUT_FILENO);
	dup2(errfd, STDERR_FILENO);
	if (o->unprivileged &&
	    (setgroups(0, NULL) || setgid(NOBODY_ID) || setuid(NOBODY_ID)))
		goto fail;
	execv(argv[0], argv);
fail:
	e = errno;
	if (write(statfd, &e, sizeof(e)) != (ssize_t)sizeof(e))
		_exit(126);
	_exit(127);
}

static void reap(struct vm_result *r, pid_t pid, double deadline)
{
	int st;
	pid_t w;

	for (;;) {
		w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return;
		if (now_s() >= deadline && !r->hung) {
			r->hung = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
		usleep(2000);
	}
	if (WIFEXITED(st)) {
		r->exited = 1;
		r->code = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		r->signo = WTERMSIG(st);
	}
}

/* Drain both pipes until EOF on both or the deadline. */
static void drain(struct vm_result *r, pid_t pid, int outfd, int errfd,
		  double deadline, struct buf *out, struct buf *err)
{
	struct pollfd p[2] = { { outfd, POLLIN, 0 }, { errfd, POLLIN, 0 } };
	struct buf *dst[2] = { out, err };
	char chunk[8192];
	int open_fds = 2;

	while (open_fds > 0) {
		double left = deadline - now_s();
		int n, i;

		if (left <= 0) {
			if (r->hung)
				break; /* killed a second ago; stop waiting */
			r->hung = 1;
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			/* Pick up what is still buffered, without blocking. */
			deadline = now_s() + 1.0;
			left = 1.0;
		}
		n = poll(p, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0 && r->hung)
			break;
		for (i = 0; i < 2; i++) {
			ssize_t got;

			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(p[i].fd, chunk, sizeof(chunk));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				p[i].fd = -1;
				open_fds--;
				continue;
			}
			buf_add(dst[i], chunk, got);
		}
	}
}

static char **copy_argv(const char *vmm, const char *const *args)
{
	size_t n = 0, i;
	char **v;

	while (args[n])
		n++;
	v = calloc(n + 2, sizeof(*v));
	if (!v)
		abort();
	v[0] = strdup(vmm);
	for (i = 0; i < n; i++)
		v[i + 1] = strdup(args[i]);
	return v;
}

/* Does the command line already ask for a report? */
static int names_report(const char *const *args)
{
	for (size_t i = 0; args[i]; i++)
		if (!strncmp(args[i], "--report", 8))
			return 1;
	return 0;
}


char *vm_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_finish(&b);
	return b.p;
}

int vm_report(const struct vm_result *r, const char *key, uint64_t *v)
{
	const char *obj = r->json ? strstr(r->json, "\"reports\": {") : NULL;
	char pat[128];
	const char *at, *end;

	/* the guest's reports: the last "reports" object of the document */
	while (obj && strstr(obj + 1, "\"reports\": {"))
		obj = strstr(obj + 1, "\"reports\": {");
	if (!obj)
		return 0;
	end = strchr(obj, '}');
	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	at = strstr(obj, pat);
	if (!at || (end && at > end))
		return 0;
	*v = strtoull(at + strlen(pat), NULL, 10);
	return 1;
}

int vm_json_number(const struct vm_result *r, const char *member,
		   uint64_t *v)
{
	char pat[128];
	const char *at;

	snprintf(pat, sizeof(pat), "\"%s\": ", member);
	at = r->json ? strstr(r->json, pat) : NULL;
	if (!at || at[strlen(pat)] < '0' || at[strlen(pat)] > '9')
		return 0;
	*v = strtoull(at + strlen(pat), NULL, 10);
	return 1;
}

static int vm_runv_plain(struct vm_result *r, const struct vm_opts *o,
			 const char *const *args);

int vm_runv(struct vm_result *r, const struct vm_opts *o,
	    const char *const *args)
{
	const char *with[MAX_ARGS + 3];
	char *dir, path[4200];
	size_t n = 0;
	int ret;

	if ((o && o->vmm) || names_report(args) || !(dir = tmp_dir()))
		return vm_runv_plain(r, o, args);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	with[n++] = "--report-file";
	with[n++] = path;
	while (args[n - 2] && n < MAX_ARGS + 2) {
		with[n] = args[n - 2];
		n++;
	}
	with[n] = NULL;
	ret = vm_runv_plain(r, o, with);
	r->json = vm_read_file(path);
	tmp_dir_remove(dir);
	return ret;
}

/*
 * The kernel log: the VMM prints it on stderr, each line prefixed
 * "kernel: " (vmm/console.h).  Those lines without the prefix, in order.
 */
static char *klog_extract(const char *err, size_t len)
{
	static const char prefix[] = "kernel: ";
	const size_t plen = sizeof(prefix) - 1;
	const char *p = err, *end = err + len;
	char *log = malloc(len + 1), *w = log;

	if (!log)
		return NULL;
	while (p && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (n >= plen && !memcmp(p, prefix, plen)) {
			memcpy(w, p + plen, n - plen);
			w += n - plen;
		}
		p += n;
	}
	*w = '\0';
	return log;
}

static int vm_runv_plain(struct vm_result *r, const struct vm_opts *o,
			 const char *const *args)
{
	static const struct vm_opts defaults;
	int outp[2], errp[2], statp[2];
	struct buf out = { 0 }, err = { 0 };
	double start, deadline;
	ssize_t got;
	pid_t pid;
	int e;

	if (!o)
		o = &defaults;
	memset(r, 0, sizeof(*r));
	r->hard_limit = o->hard_limit > 0 ? o->hard_limit : VM_HARD_LIMIT_S;
	r->argv = copy_argv(o->vmm ? o->vmm : VMM_PATH, args);

	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) ||
	    pipe2(statp, O_CLOEXEC)) {
		r->exec_errno = errno;
		goto out;
	}
	start = now_s();
	deadline = start + r->hard_limit;
	pid = fork();
	if (pid < 0) {
		r->exec_errno = errno;
		goto out;
	}
	if (pid == 0)
		child_exec(o, r->argv, outp[1], errp[1], statp[1]);
	close(outp[1]);
	close(errp[1]);
	close(statp[1]);

	/* The status pipe closes on exec (O_CLOEXEC) or carries errno. */
	do
		got = read(statp[0], &e, sizeof(e));
	while (got < 0 && errno == EINTR);
	close(statp[0]);
	if (got == (ssize_t)sizeof(e))
		r->exec_errno = e;

	drain(r, pid, outp[0], errp[0], deadline, &out, &err);
	close(outp[0]);
	close(errp[0]);
	reap(r, pid, deadline);
	r->elapsed = now_s() - start;
out:
	buf_finish(&out);
	buf_finish(&err);
	r->out = out.p;
	r->out_len = out.len;
	r->err = err.p;
	r->err_len = err.len;
	r->klog = klog_extract(r->err, r->err_len);
	return r->exec_errno ? -1 : 0;
}

static int run_va(struct vm_result *r, const char *pre1, const char *pre2,
		  va_list ap)
{
	const char *args[MAX_ARGS + 1];
	const char *a;
	int n = 0;

	if (pre1)
		args[n++] = pre1;
	if (pre2)
		args[n++] = pre2;
	while ((a = va_arg(ap, const char *)) != NULL) {
		if (n == MAX_ARGS)
			abort();
		args[n++] = a;
	}
	args[n] = NULL;
	return vm_runv(r, NULL, args);
}

int vm_run(struct vm_result *r, ...)
{
	va_list ap;
	int ret;

	va_start(ap, r);
	ret = run_va(r, NULL, NULL, ap);
	va_end(ap);
	return ret;
}

int vm_boot(struct vm_result *r, ...)
{
	va_list ap;
	int ret;

	va_start(ap, r);
	ret = run_va(r, "-t", VM_TIMEOUT_S, ap);
	va_end(ap);
	return ret;
}

void vm_result_free(struct vm_result *r)
{
	size_t i;

	free(r->out);
	free(r->err);
	free(r->klog);
	free(r->json);
	if (r->argv) {
		for (i = 0; r->argv[i]; i++)
			free(r->argv[i]);
		free(r->argv);
	}
	memset(r, 0, sizeof(*r));
}

const char *vm_status_str(const struct vm_result *r)
{
	static char s[160];

	if (r->exec_errno)
		snprintf(s, sizeof(s), "exec failed: %s", strerror(r->exec_errno));
	else if (r->hung)
		snprintf(s, sizeof(s),
			 "hung (killed by the harness after %.1f s)", r->hard_limit);
	else if (r->exited)
		snprintf(s, sizeof(s), "exit %d", r->code);
	else
		snprintf(s, sizeof(s), "signal %d (%s)", r->signo,
			 strsignal(r->signo));
	return s;
}

/* Append text to s, keeping its head and tail when it is long. */
static void show_stream(char **s, size_t *len, const char *title,
			const char *text, size_t n)
{
	FILE *f = open_memstream(s, len);

	if (!f)
		return;
	fprintf(f, "--- %s (%zu bytes) ---\n", title, n);
	if (n <= SHOW_HEAD + SHOW_TAIL) {
		fwrite(text, 1, n, f);
	} else {
		fwrite(text, 1, SHOW_HEAD, f);
		fprintf(f, "\n[... %zu bytes omitted ...]\n",
			n - SHOW_HEAD - SHOW_TAIL);
		fwrite(text + n - SHOW_TAIL, 1, SHOW_TAIL, f);
	}
	if (n && text[n - 1] != '\n')
		fputc('\n', f);
	fclose(f);
}

const char *vm_transcript(const struct vm_result *r)
{
	static char *report;
	char *cmd = NULL, *o = NULL, *e = NULL;
	size_t cmdlen = 0, olen = 0, elen = 0, i;
	FILE *f;

	free(report);
	report = NULL;
	f = open_memstream(&cmd, &cmdlen);
	if (f) {
		for (i = 0; r->argv && r->argv[i]; i++)
			fprintf(f, strpbrk(r->argv[i], " \t") || !*r->argv[i] ?
				   "%s'%s'" : "%s%s", i ? " " : "", r->argv[i]);
		fclose(f);
	}
	show_stream(&o, &olen, "programs' stdout",
		    r->out ? r->out : "", r->out_len);
	show_stream(&e, &elen, "vmm stderr", r->err ? r->err : "",
		    r->err_len);
	if (asprintf(&report, "command: %s\nended: %s after %.2f s\n%s%s",
		     cmd ? cmd : "?", vm_status_str(r), r->elapsed,
		     o ? o : "", e ? e : "") < 0)
		report = NULL;
	free(cmd);
	free(o);
	free(e);
	return report ? report : "(no transcript: out of memory)";
}

int vm_count_lines(const char *text)
{
	int n = 0;

	for (; text && *text; text++)
		if (*text == '\n')
			n++;
	return n;
}

long vm_find(const char *hay, const char *needle)
{
	const char *p = hay ? strstr(hay, needle) : NULL;

	return p ? p - hay : -1;
}

int vm_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while (p && (p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
		p++;
	}
	return 0;
}

int vm_has_ci(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle) != NULL;
}

long vm_match(const char *text, const char *re, char *line, size_t cap)
{
	regex_t rx;
	const char *p = text;
	long found = -1;

	if (!text || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE))
		return -1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = strndup(p, n);

		if (!one)
			break;
		if (regexec(&rx, one, 0, NULL, 0) == 0) {
			found = p - text;
			if (line && cap) {
				snprintf(line, cap, "%s", one);
			}
			free(one);
			break;
		}
		free(one);
		if (!nl)
			break;
		p = nl + 1;
	}
	regfree(&rx);
	return found;
}

/* ---- suite helpers ---- */

void itest_add(Suite *s, const char *name, const TTest *fn)
{
	itest_add_loop(s, name, fn, 1);
}

void itest_add_loop(Suite *s, const char *name, const TTest *fn, int n)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, VM_TCASE_TIMEOUT_S);
	tcase_add_loop_test(tc, fn, 0, n);
	suite_add_tcase(s, tc);
}

void itest_add_slow(Suite *s, const char *name, const TTest *fn,
		    int timeout_s)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, timeout_s);
	tcase_add_test(tc, fn);
	suite_add_tcase(s, tc);
}

int itest_main(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	/* Room for the transcript in failure messages (default is 4 KB). */
	check_set_max_msg_size(16384);
	/* Check _exit()s a failed test: the runner cleans up its temp files. */
	tmp_base_create();
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	tmp_base_remove();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
