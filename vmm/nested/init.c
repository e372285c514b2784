/*
 * init.c: PID 1 of the nested host (see vmm/nested/nested.h).
 *
 * The nested host is Debian's own Linux kernel booted by QEMU (TCG) with
 * this program as its whole initramfs, next to the kernel modules it
 * loads.  It runs exactly one job for the host side (nested_run.c) and
 * powers the machine off:
 *
 *   1. mount devtmpfs, proc and sysfs; load the modules listed in
 *      /modules, in order (virtio, 9p, then irqbypass, ccp, kvm, kvm-amd:
 *      kvm_amd.npt= on the kernel command line applies at load time);
 *      bring up the loopback interface;
 *   2. wait for the virtio-serial ports the host named (job, stdout,
 *      stderr, status);
 *   3. mount the host's root directory (9p, tag "hostroot") on /host, and
 *      this machine's /dev, /proc and /sys over the host's inside it;
 *   4. read the job from the "job" port: working directory, argv, envp;
 *   5. run it chrooted into /host, so host paths mean the same thing here,
 *      copying its stdout and stderr to their own ports;
 *   6. write how it ended, and how many bytes each stream carried, on the
 *      "status" port; wait until the host says it has them all; power off.
 *
 * Every failure is one line on the console ("nested-init: ...") and a
 * power-off without a status record: the host side reads that as a
 * failure of the nested host, never as a result of the job.
 *
 * Built static against the host's glibc: the initramfs has no libraries.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmm/nested/job.h"

#define INIT_MODULE_LIST   "/modules"
#define INIT_HOST_ROOT     "/host"
#define INIT_PORTS_DIR     "/sys/class/virtio-ports"
#define INIT_PORT_WAIT_S   30
#define INIT_JOB_WAIT_S    60   /* for the job record, once the ports are up */
#define INIT_ACK_WAIT_S    600  /* for the host to take the job's output */
#define INIT_LEFTOVER_S    5    /* for processes the job left behind */
#define INIT_9P_OPTS       "trans=virtio,version=9p2000.L,msize=512000," \
			   "cache=mmap,access=client"

/* The console is the nested kernel's serial log, read by the host only
 * when something fails. */
static void init_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fd = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (fd < 0)
		return;
	dprintf(fd, "nested-init: %s\n", line);
	close(fd);
}

static void init_poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

/* Setup failed: say why on the console and stop without a status. */
static void init_fail(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	init_log("FAILED: %s", line);
	init_poweroff();
}

static void init_mount(const char *src, const char *dst, const char *type,
		       unsigned long flags, const char *opts)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, opts) < 0)
		init_fail("mount %s on %s (%s): %s", src, dst, type,
			  strerror(errno));
}

/*
 * The parameters for module name from the kernel command line: every
 * word "name.param=value" becomes "param=value", as modprobe does (the
 * kernel itself applies such words only to built-in code).
 */
static void init_module_params(const char *name, char *params, size_t len)
{
	char cmdline[4096], *word, *save;
	size_t n = strlen(name), used = 0;
	FILE *f = fopen("/proc/cmdline", "r");

	params[0] = '\0';
	if (!f)
		return;
	if (!fgets(cmdline, sizeof(cmdline), f))
		cmdline[0] = '\0';
	fclose(f);
	for (word = strtok_r(cmdline, " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save)) {
		if (strncmp(word, name, n) != 0 || word[n] != '.')
			continue;
		used += (size_t)snprintf(params + used, used < len ? len - used : 0,
					 "%s%s", used ? " " : "", word + n + 1);
	}
	if (used >= len)
		init_fail("parameters of %s: too long", name);
}

/* Load every module named in INIT_MODULE_LIST, one path per line. */
static void init_load_modules(void)
{
	char path[512], name[512], params[512], *base;
	FILE *f = fopen(INIT_MODULE_LIST, "r");

	if (!f)
		init_fail("%s: %s", INIT_MODULE_LIST, strerror(errno));
	while (fgets(path, sizeof(path), f)) {
		int fd;

		path[strcspn(path, "\n")] = '\0';
		if (!path[0])
			continue;
		/* /lib/modules/kvm_amd.ko: the module's name is kvm_amd */
		base = strrchr(path, '/');
		snprintf(name, sizeof(name), "%s", base ? base + 1 : path);
		name[strcspn(name, ".")] = '\0';
		init_module_params(name, params, sizeof(params));
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			init_fail("%s: %s", path, strerror(errno));
		if (syscall(SYS_finit_module, fd, params, 0) < 0 &&
		    errno != EEXIST)
			init_fail("loading %s (%s): %s", path, params,
				  strerror(errno));
		close(fd);
	}
	fclose(f);
}

/*
 * The device node of the port the host named name, e.g. "/dev/vport1p2".
 * Ports and their names arrive asynchronously after virtio_console
 * probes, so look until INIT_PORT_WAIT_S have passed.
 */
/* Bring up lo: Linux gives it 127.0.0.1 as it goes up, so jobs can use
 * TCP on this machine (the VMM's --gdb, for one). */
static void init_loopback(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		init_fail("lo: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		init_fail("lo: cannot bring it up: %s", strerror(errno));
	close(fd);
}

static void init_find_port(const char *name, char *dev, size_t len)
{
	time_t deadline = time(NULL) + INIT_PORT_WAIT_S;

	for (;;) {
		DIR *d = opendir(INIT_PORTS_DIR);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char path[512], got[64] = "";
			FILE *f;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), INIT_PORTS_DIR "/%s/name",
				 e->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;
			if (!fgets(got, sizeof(got), f))
				got[0] = '\0';
			fclose(f);
			got[strcspn(got, "\n")] = '\0';
			if (strcmp(got, name) == 0) {
				snprintf(dev, len, "/dev/%s", e->d_name);
				if (access(dev, F_OK) == 0) {
					closedir(d);
					return;
				}
			}
		}
		if (d)
			closedir(d);
		if (time(NULL) > deadline)
			init_fail("virtio-serial port \"%s\" did not appear "
				  "within %d s", name, INIT_PORT_WAIT_S);
		usleep(10000);
	}
}

static int init_open_port(const char *name, int flags)
{
	char dev[300];
	int fd;

	init_find_port(name, dev, sizeof(dev));
	fd = open(dev, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		init_fail("open %s (port %s): %s", dev, name, strerror(errno));
	return fd;
}

/* CLOCK_MONOTONIC in seconds. */
static double init_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds left until deadline (an init_now() time). */
static double init_left(double deadline)
{
	return deadline - init_now();
}

/*
 * Read from a port into buf until done(buf, n) or the deadline.  A port
 * reads 0 while the host has not connected or written yet, so 0 is not
 * the end.  Returns the bytes read; init_fail()s at the deadline.
 */
static size_t init_read_port(int fd, char *buf, size_t cap, double deadline,
			     int (*done)(const char *, size_t), const char *what)
{
	size_t n = 0;

	while (!done(buf, n)) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t got;

		if (n == cap)
			init_fail("%s: more than %zu bytes", what, cap);
		if (init_left(deadline) <= 0)
			init_fail("%s: nothing whole from the host within %d s",
				  what, INIT_JOB_WAIT_S);
		if (poll(&p, 1, 100) <= 0)
			continue;
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno != EINTR && errno != EAGAIN)
			init_fail("%s: read: %s", what, strerror(errno));
		if (got == 0)
			usleep(5000);
		if (got > 0)
			n += (size_t)got;
	}
	return n;
}

static int init_is_ack(const char *buf, size_t n)
{
	return n >= sizeof(NESTED_ACK) - 1 &&
	       !memcmp(buf, NESTED_ACK, sizeof(NESTED_ACK) - 1);
}

/* The child: chroot into the host, redirect, exec.  Never returns. */
static void init_exec_job(const struct nested_job *job, int out, int err)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (chroot(INIT_HOST_ROOT) < 0 || chdir("/") < 0) {
		dprintf(err, "nested host: chroot %s: %s\n", INIT_HOST_ROOT,
			strerror(errno));
		_exit(NESTED_EXIT_EXEC);
	}
	if (chdir(job->cwd) < 0) {
		dprintf(err, "nested host: cannot change to %s: %s\n",
			job->cwd, strerror(errno));
		_exit(NESTED_EXIT_EXEC);
	}
	setsid();
	/* dup2 clears close-on-exec on the copy; out and err are pipe ends
	   above 2, since init's own 0-2 are the console. */
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	environ = job->envp;
	execvp(job->argv[0], job->argv);
	dprintf(STDERR_FILENO, "nested host: cannot run %s: %s\n",
		job->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : NESTED_EXIT_EXEC);
}

/* Write all of p to a port; the host's side may hold us back. */
static void init_write_port(int fd, const char *p, size_t n, const char *what)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			init_fail("%s: write: %s", what, strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/*
 * Run the job with its stdout and stderr on pipes that init copies to the
 * ports, counting the bytes, until the job has exited and both pipes are
 * at their end.  Processes the job left behind that keep a pipe open get
 * INIT_LEFTOVER_S seconds, then SIGKILL: the machine is about to stop.
 * Fills *wstatus and the byte counts.
 */
static void init_run_job(const struct nested_job *job, int out_port,
			 int err_port, int *wstatus, unsigned long long count[2])
{
	int outp[2], errp[2], open_ends = 2;
	struct pollfd p[2];
	double killed_at = 0;
	bool exited = false;
	pid_t child;

	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		init_fail("pipe: %s", strerror(errno));
	child = fork();
	if (child < 0)
		init_fail("fork: %s", strerror(errno));
	if (child == 0)
		init_exec_job(job, outp[1], errp[1]);
	close(outp[1]);
	close(errp[1]);
	p[0] = (struct pollfd){ outp[0], POLLIN, 0 };
	p[1] = (struct pollfd){ errp[0], POLLIN, 0 };
	count[0] = count[1] = 0;
	while (!exited || open_ends > 0) {
		int st;
		pid_t w;

		/* PID 1 reaps every orphan; only the job's status counts. */
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			if (w == child) {
				*wstatus = st;
				exited = true;
				killed_at = init_now() + INIT_LEFTOVER_S;
			}
		if (exited && open_ends > 0 && init_left(killed_at) <= 0) {
			kill(-1, SIGKILL);
			killed_at = init_now() + 3600;
		}
		if (poll(p, 2, 100) <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			char chunk[16384];
			ssize_t got;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			got = read(p[i].fd, chunk, sizeof(chunk));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				open_ends--;
				continue;
			}
			init_write_port(i ? err_port : out_port, chunk,
					(size_t)got, i ? "stderr" : "stdout");
			count[i] += (unsigned long long)got;
		}
	}
}

int main(void)
{
	int job_fd, out_fd, err_fd, status_fd, wstatus = 0;
	unsigned long long count[2];
	struct nested_job job;
	char *raw, record[NESTED_STATUS_MAX], ack[16];
	size_t raw_len;

	if (getpid() != 1)
		return 1;
	init_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	init_mount("proc", "/proc", "proc", 0, NULL);
	init_mount("sysfs", "/sys", "sysfs", 0, NULL);
	init_load_modules();
	init_loopback();

	job_fd = init_open_port(NESTED_PORT_JOB, O_RDONLY);
	out_fd = init_open_port(NESTED_PORT_STDOUT, O_WRONLY);
	err_fd = init_open_port(NESTED_PORT_STDERR, O_WRONLY);
	status_fd = init_open_port(NESTED_PORT_STATUS, O_WRONLY);

	init_mount("hostroot", INIT_HOST_ROOT, "9p", 0, INIT_9P_OPTS);
	init_mount("devtmpfs", INIT_HOST_ROOT "/dev", "devtmpfs", 0, NULL);
	init_mount("proc", INIT_HOST_ROOT "/proc", "proc", 0, NULL);
	init_mount("sysfs", INIT_HOST_ROOT "/sys", "sysfs", 0, NULL);
	init_mount("tmpfs", INIT_HOST_ROOT "/dev/shm", "tmpfs", 0, "mode=1777");
	init_mount("devpts", INIT_HOST_ROOT "/dev/pts", "devpts", 0, NULL);

	raw = malloc(NESTED_JOB_MAX);
	if (!raw)
		init_fail("job: out of memory");
	raw_len = init_read_port(job_fd, raw, NESTED_JOB_MAX,
				 init_now() + INIT_JOB_WAIT_S,
				 nested_job_complete, "job");
	if (nested_job_parse(raw, raw_len, &job) < 0)
		init_fail("job: malformed record (%zu bytes)", raw_len);

	init_run_job(&job, out_fd, err_fd, &wstatus, count);
	nested_status_format(record, sizeof(record), wstatus, count[0],
			     count[1]);
	init_write_port(status_fd, record, strlen(record), "status");
	/* Power off only once the host has all the output: what QEMU holds
	   back from a slow reader is lost when the machine stops. */
	init_read_port(job_fd, ack, sizeof(ack), init_now() + INIT_ACK_WAIT_S,
		       init_is_ack, "end of output");
	init_poweroff();
}
