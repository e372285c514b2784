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
 *   2. wait for the virtio-serial ports the host named (job, stdout,
 *      stderr, status);
 *   3. mount the host's root directory (9p, tag "hostroot") on /host, and
 *      this machine's /dev, /proc and /sys over the host's inside it;
 *   4. read the job from the "job" port: working directory, argv, envp;
 *   5. run it chrooted into /host, so host paths mean the same thing here,
 *      with stdout and stderr on their own ports;
 *   6. write how it ended on the "status" port, then power off.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
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

/* Read the whole job record: it ends where the host stops writing. */
static char *init_read_job(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);

	for (;;) {
		ssize_t got;

		if (!buf)
			init_fail("job: out of memory");
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			continue;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			init_fail("job: read: %s", strerror(errno));
		if (got == 0) {
			/* A port reads 0 while the host has not connected
			 * or written yet; the record says when it is whole. */
			if (nested_job_complete(buf, n))
				break;
			usleep(5000);
			continue;
		}
		n += got;
		if (nested_job_complete(buf, n))
			break;
	}
	*len = n;
	return buf;
}

/* The child: chroot into the host, redirect, exec.  Never returns. */
static void init_exec_job(const struct nested_job *job, int out, int err)
{
	int null = open("/dev/null", O_RDWR);

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

int main(void)
{
	int job_fd, out_fd, err_fd, status_fd, wstatus = 0;
	struct nested_job job;
	char *raw, record[64];
	size_t raw_len;
	pid_t child, w;

	if (getpid() != 1)
		return 1;
	init_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	init_mount("proc", "/proc", "proc", 0, NULL);
	init_mount("sysfs", "/sys", "sysfs", 0, NULL);
	init_load_modules();

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

	raw = init_read_job(job_fd, &raw_len);
	if (nested_job_parse(raw, raw_len, &job) < 0)
		init_fail("job: malformed record (%zu bytes)", raw_len);

	child = fork();
	if (child < 0)
		init_fail("fork: %s", strerror(errno));
	if (child == 0)
		init_exec_job(&job, out_fd, err_fd);

	/* PID 1 reaps every orphan; only the job's own status counts. */
	for (;;) {
		w = wait(&wstatus);
		if (w == child)
			break;
		if (w < 0 && errno != EINTR)
			init_fail("wait: %s", strerror(errno));
	}
	nested_status_format(record, sizeof(record), wstatus);
	if (write(status_fd, record, strlen(record)) != (ssize_t)strlen(record))
		init_fail("status: write: %s", strerror(errno));
	init_poweroff();
}
