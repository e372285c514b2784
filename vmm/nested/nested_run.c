/*
 * nested_run.c: boot the nested host under QEMU and relay one command's
 * streams and status (see nested.h).
 *
 * Every channel to QEMU is one end of a socketpair that QEMU inherits
 * (-chardev socket,fd=N): the job goes in on one virtio-serial port, the
 * command's stdout, stderr and status come out on three more, and the
 * nested kernel's serial console on a fifth.  One poll loop here moves
 * them, with a deadline for the whole machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmm/nested/job.h"
#include "vmm/nested/nested.h"

#define NR_QEMU          "qemu-system-x86_64"
#define NR_LOG_KEEP      (64 * 1024)  /* console bytes kept for a report */
#define NR_LOG_TAIL      25           /* console lines shown on failure */
#define NR_STATUS_MAX    64
#define NR_ARGS_MAX      64

extern char **environ;

enum nr_chan { NR_JOB, NR_OUT, NR_ERR, NR_STATUS, NR_LOG, NR_QERR, NR_NCHAN };

static const char *const nr_port_name[] = {
	[NR_JOB] = NESTED_PORT_JOB, [NR_OUT] = NESTED_PORT_STDOUT,
	[NR_ERR] = NESTED_PORT_STDERR, [NR_STATUS] = NESTED_PORT_STATUS,
};

/* Text kept from a channel: the last NR_LOG_KEEP bytes. */
struct nr_ring {
	char   buf[NR_LOG_KEEP];
	size_t len;
};

struct nr {
	const struct nested_opts *o;
	int    fd[NR_NCHAN];     /* our ends */
	int    peer[NR_NCHAN];   /* QEMU's ends (closed once it started) */
	bool   open[NR_NCHAN];   /* our end not at EOF yet */
	pid_t  qemu;
	int    qemu_status;
	bool   qemu_done;
	double deadline;         /* for the whole machine; 0 = none */
	char  *send;             /* to the job port: the record, later the ack */
	size_t send_len, sent;
	bool   acked;            /* NESTED_ACK queued */
	char   status[NESTED_STATUS_MAX];
	size_t status_len;
	unsigned long long got[2];      /* stdout, stderr bytes received */
	unsigned long long want[2];     /* ... as the status line says */
	int    job_status;       /* parsed status line, or -1 */
	struct nr_ring log, qerr;
	int    log_fd;           /* o->log_path, or -1 */
};

static volatile sig_atomic_t nr_signal;

static void nr_on_signal(int sig)
{
	nr_signal = sig;
}

static void nr_msg(const struct nr *nr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void nr_msg(const struct nr *nr, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: nested host: %s\n", nr->o->prog, line);
}

static double nr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nr_ring_add(struct nr_ring *r, const char *p, size_t n)
{
	if (n >= sizeof(r->buf)) {
		p += n - sizeof(r->buf);
		n = sizeof(r->buf);
	}
	if (r->len + n > sizeof(r->buf)) {
		size_t drop = r->len + n - sizeof(r->buf);

		memmove(r->buf, r->buf + drop, r->len - drop);
		r->len -= drop;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

/*
 * Write all of p to our stdout or stderr.  A reader that is slow holds us
 * here (a non-blocking one too: wait until it can take more), but never
 * past a signal or the deadline; one that went away (EPIPE) drops the
 * rest, and the job's output is still consumed.
 */
static void nr_write_all(const struct nr *nr, int fd, const char *p,
			 size_t n)
{
	while (n > 0 && !nr_signal &&
	       (nr->deadline <= 0 || nr_now() < nr->deadline)) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pf = { fd, POLLOUT, 0 };

			poll(&pf, 1, 100);
			continue;
		}
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

const char *nested_default_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("NESTED_DIR");
	ssize_t n;
	char *slash;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 16);
	if (n <= 0)
		return "nested";
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash)
		strcpy(slash + 1, "nested");
	return dir;
}

const char *nested_describe(const char *dir, bool npt)
{
	static char text[512];
	char path[PATH_MAX], pkg[128], ver[64], kver[64];
	FILE *f;

	if (!dir)
		dir = nested_default_dir();
	snprintf(path, sizeof(path), "%s/kernel-version", dir);
	f = fopen(path, "r");
	text[0] = '\0';
	if (!f)
		return text;
	if (fscanf(f, "%127s %63s %63s", pkg, ver, kver) == 3)
		snprintf(text, sizeof(text), "QEMU TCG, Debian %s %s, kvm_amd "
			 "with %s", pkg, ver, npt ? "NPT" : "shadow paging");
	fclose(f);
	return text;
}

/* Does dir hold a whole nested host?  Says what is missing if not. */
static int nr_check_dir(struct nr *nr, const char *dir)
{
	static const char *const need[] = { "vmlinuz", "initramfs.cpio",
					    "kernel-version" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, need[i]);
		if (access(path, R_OK) != 0) {
			nr_msg(nr, "%s: %s (build it with 'make nested')",
			       path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int nr_channels(struct nr *nr)
{
	for (int i = 0; i < NR_NCHAN; i++) {
		int sv[2];

		if (i == NR_QERR) {
			if (pipe2(sv, O_CLOEXEC) < 0)
				return -1;
			nr->fd[i] = sv[0];
			nr->peer[i] = sv[1];
			continue;
		}
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return -1;
		nr->fd[i] = sv[0];
		nr->peer[i] = sv[1];
	}
	for (int i = 0; i < NR_NCHAN; i++) {
		fcntl(nr->fd[i], F_SETFL, O_NONBLOCK);
		nr->open[i] = true;
	}
	return 0;
}

/* Build QEMU's argv in args (strings in store); returns the count. */
static int nr_qemu_args(const struct nr *nr, const char *dir,
			char *args[], char store[][PATH_MAX + 64])
{
	const struct nested_opts *o = nr->o;
	const char *append = getenv("NESTED_APPEND");
	int n = 0, s = 0;

#define ARG(lit) (args[n++] = (char *)(lit))
#define ARGF(...) (snprintf(store[s], sizeof(store[s]), __VA_ARGS__), \
		   args[n++] = store[s++])
	ARG(NR_QEMU);
	ARG("-nodefaults"); ARG("-no-user-config"); ARG("-nographic");
	ARG("-no-reboot");
	/* One vCPU unless asked: multi-threaded TCG with -smp 2 hung long
	   runs (see the README's nested-host notes). */
	ARG("-machine"); ARG("pc,accel=tcg");
	ARG("-cpu"); ARG("max");
	ARG("-smp"); ARGF("%u", o->cpus ? o->cpus : 1);
	ARG("-m"); ARGF("%u", o->mem_mib);
	if (o->icount) {
		ARG("-icount"); ARG("shift=0,sleep=off");
	}
	ARG("-kernel"); ARGF("%s/vmlinuz", dir);
	ARG("-initrd"); ARGF("%s/initramfs.cpio", dir);
	/* panic=-1 with -no-reboot: a panic ends QEMU at once. */
	ARG("-append");
	ARGF("console=ttyS0 panic=-1 oops=panic quiet loglevel=3 "
	     "kvm_amd.npt=%d%s%s", o->npt ? 1 : 0, append ? " " : "",
	     append ? append : "");
	ARG("-chardev"); ARGF("socket,id=log,fd=%d", nr->peer[NR_LOG]);
	ARG("-serial"); ARG("chardev:log");
	ARG("-device"); ARG("virtio-serial-pci,id=vser");
	for (int i = NR_JOB; i <= NR_STATUS; i++) {
		ARG("-chardev"); ARGF("socket,id=c%d,fd=%d", i, nr->peer[i]);
		ARG("-device");
		ARGF("virtserialport,bus=vser.0,chardev=c%d,name=%s", i,
		     nr_port_name[i]);
	}
	/* The host's root directory, with this user's rights on it. */
	ARG("-virtfs");
	ARG("local,path=/,mount_tag=hostroot,security_model=none,"
	    "multidevs=remap");
	args[n] = NULL;
#undef ARG
#undef ARGF
	return n;
}

static int nr_start_qemu(struct nr *nr, const char *dir)
{
	static char store[16][PATH_MAX + 64];
	char *args[NR_ARGS_MAX];

	nr_qemu_args(nr, dir, args, store);
	nr->qemu = fork();
	if (nr->qemu < 0) {
		nr_msg(nr, "fork: %s", strerror(errno));
		return -1;
	}
	if (nr->qemu == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		/* If we die, QEMU goes too. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (int i = NR_JOB; i <= NR_LOG; i++)
			fcntl(nr->peer[i], F_SETFD, 0);   /* inherited */
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(nr->peer[NR_QERR], STDERR_FILENO);
		execvp(args[0], args);
		dprintf(nr->peer[NR_QERR], "%s: %s%s\n", args[0],
			strerror(errno), errno == ENOENT ?
			" (apt-get install qemu-system-x86)" : "");
		_exit(127);
	}
	for (int i = 0; i < NR_NCHAN; i++) {
		close(nr->peer[i]);
		nr->peer[i] = -1;
	}
	return 0;
}

/* The status line is whole: parse it. */
static void nr_status_done(struct nr *nr)
{
	int signo;

	nr->job_status = nested_status_parse(nr->status, nr->status_len,
					     &signo, nr->want);
}

/* Move what channel i has now: NR_MOVED, NR_EOF (or an error) or
 * NR_EMPTY (nothing to read yet). */
enum { NR_EOF, NR_MOVED, NR_EMPTY };
static int nr_read(struct nr *nr, int i)
{
	char chunk[16384];
	ssize_t n = read(nr->fd[i], chunk, sizeof(chunk));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return NR_EMPTY;
	if (n <= 0)
		return NR_EOF;
	switch (i) {
	case NR_OUT:
	case NR_ERR:
		nr->got[i == NR_ERR] += (unsigned long long)n;
		nr_write_all(nr, i == NR_OUT ? STDOUT_FILENO : STDERR_FILENO,
			     chunk, (size_t)n);
		break;
	case NR_STATUS:
		if (nr->status_len + (size_t)n < sizeof(nr->status)) {
			memcpy(nr->status + nr->status_len, chunk, (size_t)n);
			nr->status_len += (size_t)n;
			if (memchr(chunk, '\n', (size_t)n))
				nr_status_done(nr);
		} else {
			nr->status_len = sizeof(nr->status); /* malformed */
			nr->job_status = -1;
		}
		break;
	case NR_LOG:
		nr_ring_add(&nr->log, chunk, (size_t)n);
		if (nr->log_fd >= 0)
			nr_write_all(nr, nr->log_fd, chunk, (size_t)n);
		break;
	case NR_QERR:
		nr_ring_add(&nr->qerr, chunk, (size_t)n);
		break;
	}
	return NR_MOVED;
}

/* Send what is queued for the job port (MSG_NOSIGNAL: QEMU may be gone). */
static void nr_send(struct nr *nr)
{
	ssize_t w = send(nr->fd[NR_JOB], nr->send + nr->sent,
			 nr->send_len - nr->sent, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (w > 0)
		nr->sent += (size_t)w;
	else if (w < 0 && errno != EAGAIN && errno != EINTR)
		nr->open[NR_JOB] = false;
}

/* Once all the output the status line announces is here, let the guest
 * power off. */
static void nr_maybe_ack(struct nr *nr)
{
	if (nr->acked || nr->job_status < 0 || nr->got[0] < nr->want[0] ||
	    nr->got[1] < nr->want[1])
		return;
	free(nr->send);
	nr->send = strdup(NESTED_ACK);
	nr->send_len = nr->send ? strlen(NESTED_ACK) : 0;
	nr->sent = 0;
	nr->acked = true;
}

static void nr_reap(struct nr *nr, int flags)
{
	pid_t w;

	if (nr->qemu_done)
		return;
	w = waitpid(nr->qemu, &nr->qemu_status, flags);
	/* ECHILD: reaped elsewhere; it is gone all the same. */
	if (w == nr->qemu || (w < 0 && errno == ECHILD))
		nr->qemu_done = true;
}

/*
 * Relay until QEMU has exited and every channel is at EOF, or until the
 * deadline (returns NESTED_EXIT_TIMEOUT) or a signal (128 + signal).
 * Signals are not blocked: a blocked write to a slow reader returns to
 * the loop on one, and poll's short timeout bounds the time between a
 * signal and its check.
 */
static int nr_relay(struct nr *nr)
{
	for (;;) {
		struct pollfd p[NR_NCHAN];
		bool any = false;

		if (nr_signal)
			return 128 + nr_signal;
		if (nr->deadline > 0 && nr_now() >= nr->deadline)
			return NESTED_EXIT_TIMEOUT;
		for (int i = 0; i < NR_NCHAN; i++) {
			p[i].fd = nr->open[i] ? nr->fd[i] : -1;
			p[i].events = i == NR_JOB ? 0 : POLLIN;
			p[i].revents = 0;
			if (i == NR_JOB && nr->sent < nr->send_len)
				p[i].events = POLLOUT;
			any |= nr->open[i] && i != NR_JOB;
		}
		nr_reap(nr, WNOHANG);
		if (nr->qemu_done && !any)
			return 0;
		if (poll(p, NR_NCHAN, 50) < 0 && errno != EINTR)
			return 0;
		for (int i = 0; i < NR_NCHAN; i++) {
			if (!nr->open[i] || !p[i].revents)
				continue;
			if (i == NR_JOB) {
				if (p[i].revents & POLLOUT)
					nr_send(nr);
				if (p[i].revents & (POLLHUP | POLLERR))
					nr->open[i] = false;
				continue;
			}
			if (nr_read(nr, i) == NR_EOF)
				nr->open[i] = false;
		}
		nr_maybe_ack(nr);
	}
}

/* One console line, prefixed, without terminal escape sequences (the
 * firmware clears the screen) and control characters. */
static void nr_show_line(const struct nr *nr, const char *p, size_t n)
{
	char line[512];
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < sizeof(line); i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == 0x1b) {        /* ESC [ parameters final-byte */
			if (i + 1 < n && p[i + 1] == '[') {
				i += 2;
				while (i < n && !(p[i] >= 0x40 && p[i] <= 0x7e))
					i++;
			} else if (i + 1 < n) {
				i++;
			}
			continue;
		}
		if (c >= 0x20 && c != 0x7f)
			line[k++] = (char)c;
	}
	line[k] = '\0';
	fprintf(stderr, "%s: | %s\n", nr->o->prog, line);
}

/* The last NR_LOG_TAIL lines of the nested console, each prefixed. */
static void nr_show_tail(const struct nr *nr, const struct nr_ring *r,
			 const char *what)
{
	size_t start = r->len;
	int lines = 0;

	if (!r->len)
		return;
	while (start > 0 && lines <= NR_LOG_TAIL) {
		start--;
		if (r->buf[start] == '\n' && start + 1 < r->len)
			lines++;
	}
	if (lines > NR_LOG_TAIL)
		start++;
	nr_msg(nr, "last lines of %s:", what);
	while (start < r->len) {
		const char *nl = memchr(r->buf + start, '\n', r->len - start);
		size_t end = nl ? (size_t)(nl - r->buf) : r->len;

		nr_show_line(nr, r->buf + start, end - start);
		start = end + 1;
	}
}

/* Is needle somewhere in the kept console text? */
static bool nr_log_has(const struct nr *nr, const char *needle)
{
	return memmem(nr->log.buf, nr->log.len, needle, strlen(needle)) != NULL;
}

/* No status came back: say what the evidence points to. */
static void nr_explain_failure(const struct nr *nr)
{
	if (nr_log_has(nr, "Kernel panic"))
		nr_msg(nr, "the nested Linux kernel panicked");
	else if (nr_log_has(nr, "nested-init: FAILED"))
		nr_msg(nr, "its init could not set up the machine");
	else if (nr->qemu_done && WIFEXITED(nr->qemu_status) &&
		 WEXITSTATUS(nr->qemu_status) != 0)
		nr_msg(nr, "QEMU failed (exit %d)",
		       WEXITSTATUS(nr->qemu_status));
	else
		nr_msg(nr, "the machine stopped without reporting the "
		       "command's status");
	nr_show_tail(nr, &nr->qerr, "QEMU's messages");
	nr_show_tail(nr, &nr->log, "the nested console");
}

static void nr_cleanup(struct nr *nr)
{
	for (int i = 0; i < NR_NCHAN; i++) {
		if (nr->fd[i] >= 0)
			close(nr->fd[i]);
		if (nr->peer[i] >= 0)
			close(nr->peer[i]);
	}
	if (nr->log_fd >= 0)
		close(nr->log_fd);
	free(nr->send);
}

/* A copy of environ with KVM_HOST=native: the job must not nest again. */
static char **nr_job_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "KVM_HOST=", 9) != 0)
			env[k++] = environ[i];
	env[k++] = "KVM_HOST=native";
	return env;
}

/*
 * How the run ended, once QEMU is gone: the job's status when the status
 * line and all the output it announces arrived, else why not.
 */
static int nr_outcome(struct nr *nr, int relay)
{
	if (relay == NESTED_EXIT_TIMEOUT) {
		nr_msg(nr, "did not finish within %.0f s; stopped it",
		       nr->o->timeout);
		nr_show_tail(nr, &nr->log, "the nested console");
		return relay;
	}
	if (relay)
		return relay;           /* a signal */
	if (nr->job_status < 0) {
		nr_explain_failure(nr);
		return NESTED_EXIT_FAILED;
	}
	for (int i = 0; i < 2; i++)
		if (nr->got[i] != nr->want[i]) {
			nr_msg(nr, "the job wrote %llu bytes to %s, %llu arrived",
			       nr->want[i], i ? "stderr" : "stdout", nr->got[i]);
			return NESTED_EXIT_FAILED;
		}
	return nr->job_status;
}

/* Signal dispositions for the run, and back. */
struct nr_sigs {
	struct sigaction old[5];
};
static const int nr_sig_list[5] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE,
				    SIGCHLD };

static void nr_signals_set(struct nr_sigs *save)
{
	/* No SA_RESTART: a blocked write returns on a signal. */
	struct sigaction catch = { .sa_handler = nr_on_signal };
	struct sigaction ign = { .sa_handler = SIG_IGN };
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	nr_signal = 0;
	for (int i = 0; i < 5; i++)
		sigaction(nr_sig_list[i], nr_sig_list[i] == SIGPIPE ? &ign :
			  nr_sig_list[i] == SIGCHLD ? &dfl : &catch,
			  &save->old[i]);
}

static void nr_signals_restore(const struct nr_sigs *save)
{
	for (int i = 0; i < 5; i++)
		sigaction(nr_sig_list[i], &save->old[i], NULL);
}

int nested_run(const struct nested_opts *o, char *const argv[])
{
	const char *dir = o->dir ? o->dir : nested_default_dir();
	char cwd[PATH_MAX], **env;
	struct nr_sigs sigs;
	struct nr *nr;
	int rc, fd;

	/* Our own 0-2 must be taken, or a channel could land there. */
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
		;
	if (fd > STDERR_FILENO)
		close(fd);
	nr = calloc(1, sizeof(*nr));
	if (!nr)
		return NESTED_EXIT_FAILED;
	nr->o = o;
	nr->log_fd = -1;
	nr->job_status = -1;
	for (int i = 0; i < NR_NCHAN; i++)
		nr->fd[i] = nr->peer[i] = -1;
	rc = NESTED_EXIT_FAILED;
	if (nr_check_dir(nr, dir) < 0)
		goto out;
	if (!getcwd(cwd, sizeof(cwd))) {
		nr_msg(nr, "getcwd: %s", strerror(errno));
		goto out;
	}
	env = nr_job_env();
	nr->send = env ? nested_job_encode(cwd, argv, env, &nr->send_len) :
		   NULL;
	free(env);
	if (!nr->send) {
		nr_msg(nr, "out of memory");
		goto out;
	}
	if (nr->send_len > NESTED_JOB_MAX) {
		nr_msg(nr, "the command line and environment take %zu bytes, "
		       "more than %u", nr->send_len, NESTED_JOB_MAX);
		goto out;
	}
	if (o->log_path) {
		nr->log_fd = open(o->log_path, O_WRONLY | O_CREAT | O_TRUNC |
				  O_CLOEXEC, 0644);
		if (nr->log_fd < 0) {
			nr_msg(nr, "%s: %s", o->log_path, strerror(errno));
			goto out;
		}
	}
	if (nr_channels(nr) < 0) {
		nr_msg(nr, "socketpair: %s", strerror(errno));
		goto out;
	}
	if (!o->quiet && o->why)
		fprintf(stderr, "%s: %s: running in the nested host (%s)\n",
			o->prog, o->why, nested_describe(dir, o->npt));
	else if (!o->quiet)
		nr_msg(nr, "%s", nested_describe(dir, o->npt));

	nr_signals_set(&sigs);
	if (nr_start_qemu(nr, dir) == 0) {
		int relay;

		nr->deadline = o->timeout > 0 ? nr_now() + o->timeout : 0;
		relay = nr_relay(nr);
		if (!nr->qemu_done) {
			kill(nr->qemu, SIGKILL);
			nr_reap(nr, 0);
			/* Pick up what QEMU had already written, no more. */
			nr->deadline = nr_now() + 2;
			for (int i = NR_OUT; i < NR_NCHAN; i++)
				while (nr->open[i] && nr_read(nr, i) == NR_MOVED)
					;
		}
		rc = nr_outcome(nr, relay);
	}
	nr_signals_restore(&sigs);
out:
	nr_cleanup(nr);
	free(nr);
	return rc;
}
