/*
 * gdb.c: see gdb.h.  The remote protocol as gdb speaks it (GDB manual,
 * "Remote Protocol"): packets "$data#cs" acknowledged with '+', a 0x03
 * byte to interrupt.  All-stop, one thread.
 *
 * Stopping a running guest: the connection is O_ASYNC, so a byte from the
 * debugger raises SIGIO, which interrupts KVM_RUN (and immediate_exit
 * covers the window just before it); the run loop then asks
 * gdb_interrupted.  The timeout's SIGALRM interrupts a wait for a packet
 * the same way, so a debugger that goes quiet cannot hang the VMM.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "guest/abi.h"

#include "vmm/backend.h"
#include "vmm/gdb/gdb.h"
#include "vmm/gdb/gdb_impl.h"
#include "vmm/kvm.h"
#include "vmm/timeout.h"
#include "vmm/vcpu.h"
#include "vmm/vmm.h"

struct gdb gdb = { .fd = -1 };

static volatile sig_atomic_t gdb_io;            /* SIGIO since last look */
static volatile sig_atomic_t gdb_running;       /* the guest is in KVM_RUN */
static struct kvm_run *volatile gdb_run;

static void gdb_sigio(int sig)
{
	(void)sig;
	gdb_io = 1;
	if (gdb_running && gdb_run)
		gdb_run->immediate_exit = 1;
}

bool gdb_attached(void)
{
	return gdb.fd >= 0;
}

/* ---- the connection ---------------------------------------------- */

static int gdb_pushback = -1;   /* a byte read ahead (gdb_send) */

/* One byte from the debugger; -1 when it hung up, or on the timeout. */
static int gdb_getc(void)
{
	unsigned char c;

	if (gdb_pushback >= 0) {
		int b = gdb_pushback;

		gdb_pushback = -1;
		return b;
	}
	for (;;) {
		ssize_t n = read(gdb.fd, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR && !timeout_expired())
			continue;
		return -1;
	}
}

static int gdb_write_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(gdb.fd, p, len);

		if (n < 0 && errno == EINTR && !timeout_expired())
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int gdb_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The next packet's payload into gdb.pkt (NUL-terminated), acknowledged.
 * A bad checksum is refused ('-') and the debugger resends; a packet too
 * long for the buffer is refused the same way and reported once.
 * Returns its length, or -1 when the connection ended.
 */
static int gdb_recv(void)
{
	for (;;) {
		unsigned sum = 0, want;
		size_t len = 0;
		bool overflow = false;
		int c, h1, h2;

		while ((c = gdb_getc()) != '$')
			if (c < 0)
				return -1;
		while ((c = gdb_getc()) != '#') {
			if (c < 0)
				return -1;
			sum += (unsigned)c;
			if (len < GDB_PKT_MAX)
				gdb.pkt[len++] = (char)c;
			else
				overflow = true;
		}
		h1 = gdb_hexval(gdb_getc());
		h2 = gdb_hexval(gdb_getc());
		want = (unsigned)(h1 << 4 | h2);
		if (h1 < 0 || h2 < 0 || want != (sum & 0xff) || overflow) {
			if (overflow)
				vmm_err("gdb: packet over %d bytes refused",
					GDB_PKT_MAX);
			if (gdb_write_all("-", 1) < 0)
				return -1;
			continue;
		}
		if (gdb_write_all("+", 1) < 0)
			return -1;
		gdb.pkt[len] = '\0';
		return (int)len;
	}
}

/* Send data as one packet and wait for its '+' (resend on '-'). */
int gdb_send(const char *data)
{
	static char frame[GDB_REPLY_MAX + 8];
	size_t len = strlen(data);
	unsigned sum = 0;

	if (len > GDB_REPLY_MAX)
		len = GDB_REPLY_MAX;
	frame[0] = '$';
	memcpy(frame + 1, data, len);
	for (size_t i = 0; i < len; i++)
		sum += (unsigned char)data[i];
	snprintf(frame + 1 + len, 4, "#%02x", sum & 0xff);
	for (int tries = 0; tries < 8; tries++) {
		int c;

		if (gdb_write_all(frame, len + 4) < 0)
			return -1;
		/* '+' acknowledges it; a new packet ('$') does too, from a
		 * peer that does not acknowledge (it is read next); anything
		 * else before the acknowledgement is noise */
		do
			c = gdb_getc();
		while (c >= 0 && c != '+' && c != '-' && c != '$');
		if (c == '$')
			gdb_pushback = c;
		if (c == '+' || c == '$')
			return 0;
		if (c < 0)
			return -1;
	}
	return -1;
}

void gdb_hex(char *out, const void *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = buf;

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * len] = '\0';
}

int gdb_unhex(void *buf, const char *hex, size_t len)
{
	unsigned char *b = buf;

	for (size_t i = 0; i < len; i++) {
		int h = gdb_hexval(hex[2 * i]), l;

		if (h < 0)
			return -1;
		l = gdb_hexval(hex[2 * i + 1]);
		if (l < 0)
			return -1;
		b[i] = (unsigned char)(h << 4 | l);
	}
	return 0;
}

/* A hex number at *p, up to a character not a hex digit; -1 if none. */
int gdb_parse_hex(const char **p, uint64_t *v)
{
	const char *s = *p;
	int digits = 0;

	*v = 0;
	while (gdb_hexval(*s) >= 0) {
		if (++digits > 16)
			return -1;
		*v = *v << 4 | (uint64_t)gdb_hexval(*s++);
	}
	if (!digits)
		return -1;
	*p = s;
	return 0;
}

/* ---- listening ----------------------------------------------------- */

static int gdb_listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		vmm_die(VMM_EXIT_SETUP, "gdb: socket path too long: %s", path);
	/* (a filesystem without sockets, 9p for one, fails the bind with
	 * ENXIO: then use a TCP port) */
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: socket: %s", strerror(errno));
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 1) < 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: cannot listen on %s: %s", path,
			strerror(errno));
	return fd;
}

/* Listen on TCP where; *shown gets "HOST:PORT" with the port bound (port
 * 0 picks a free one, which the waiting message then names). */
static int gdb_listen_tcp(const char *where, char *shown, size_t cap)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE,
	}, *ai;
	char host[256] = "127.0.0.1";
	const char *port = where, *colon = strrchr(where, ':');
	int fd, one = 1, r;

	if (colon) {
		if ((size_t)(colon - where) >= sizeof(host))
			vmm_die(VMM_EXIT_SETUP, "gdb: bad address %s", where);
		memcpy(host, where, (size_t)(colon - where));
		host[colon - where] = '\0';
		port = colon + 1;
	}
	r = getaddrinfo(host, port, &hints, &ai);
	if (r != 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: %s: %s", where, gai_strerror(r));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 1) < 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: cannot listen on %s: %s", where,
			strerror(errno));
	freeaddrinfo(ai);
	{
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		char h[256], p[32];

		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0 &&
		    getnameinfo((struct sockaddr *)&ss, len, h, sizeof(h), p,
				sizeof(p), NI_NUMERICHOST | NI_NUMERICSERV) == 0)
			snprintf(shown, cap, "%s:%s", h, p);
		else
			snprintf(shown, cap, "%s", where);
	}
	return fd;
}

/* SIGIO for the connection, so that Ctrl-C stops a running guest. */
static void gdb_async(void)
{
	struct sigaction sa;
	int fl;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = gdb_sigio;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGIO, &sa, NULL) < 0 ||
	    fcntl(gdb.fd, F_SETOWN, getpid()) < 0 ||
	    (fl = fcntl(gdb.fd, F_GETFL)) < 0 ||
	    fcntl(gdb.fd, F_SETFL, fl | O_ASYNC) < 0)
		vmm_die(VMM_EXIT_SETUP, "gdb: cannot make the connection "
			"asynchronous: %s", strerror(errno));
}

int gdb_start(struct vcpu *vcpu, const char *where)
{
	char shown[300];
	int lfd;

	gdb.vcpu = vcpu;
	gdb_run = vcpu->run;
	/* QEMU TCG's SVM does not arm DR0-DR3 for a nested guest, nor does
	 * it stop at KVM's #BP intercept: in the nested host neither kind of
	 * KVM breakpoint fires (seen with kvm_amd there).  There breakpoints
	 * are int3s that the kernel's own #BP handler hands over
	 * (HC_DEBUG_TRAP); elsewhere, debug registers: they need no help
	 * from the guest, and an int3 in ring 0 is not safe on every
	 * backend (kvm_pvm runs the guest kernel in ring 3). */
	gdb.sw_bp = backend_hypervisor() &&
		    !strcmp(backend_hypervisor(), "QEMU TCG");
	if (!strncmp(where, "unix:", 5)) {
		lfd = gdb_listen_unix(where + 5);
		snprintf(shown, sizeof(shown), "%s", where + 5);
	} else
		lfd = gdb_listen_tcp(where, shown, sizeof(shown));
	fprintf(stderr, "vmm: gdb: waiting for the debugger on %s (gdb "
		"KERNEL.elf -ex 'target remote %s')\n", shown, shown);
	for (;;) {
		gdb.fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (gdb.fd >= 0)
			break;
		if (errno == EINTR && timeout_expired()) {
			vmm_err("gdb: no debugger came before the timeout");
			close(lfd);
			return VMM_EXIT_TIMEOUT;
		}
		if (errno != EINTR)
			vmm_die(VMM_EXIT_SETUP, "gdb: accept: %s",
				strerror(errno));
	}
	close(lfd);
	if (!strncmp(where, "unix:", 5))
		unlink(where + 5);
	gdb_async();
	vmm_info("gdb: debugger connected; breakpoints are %s; the guest "
		 "waits at its first instruction", gdb.sw_bp ?
		 "int3 handed over by the kernel (no debug registers in a guest of QEMU TCG's SVM)" :
		 "debug registers DR0-DR3");
	return gdb_stop(GDB_SIGTRAP);
}

/* ---- stopping and resuming -------------------------------------- */

/* Apply the breakpoints and the step flag to the vCPU. */
int gdb_apply_debug(void)
{
	struct kvm_guest_debug dbg;
	bool any = gdb.step;	/* with sw_bp, only the step: the kernel
				   hands its #BP over (HC_DEBUG_TRAP) */

	memset(&dbg, 0, sizeof(dbg));
	for (int i = 0; i < GDB_NBP && !gdb.sw_bp; i++) {
		if (!gdb.bp_on[i])
			continue;
		dbg.arch.debugreg[i] = gdb.bp[i];
		/* DR7: Li enables slot i; R/Wi = 00 and LENi = 00, an
		 * instruction breakpoint (Intel SDM vol. 3, 18.2.4) */
		dbg.arch.debugreg[7] |= 1ULL << (2 * i);
		any = true;
	}
	if (any)
		dbg.control = KVM_GUESTDBG_ENABLE |
			      (gdb.sw_bp ? 0 : KVM_GUESTDBG_USE_HW_BP) |
			      (gdb.step ? KVM_GUESTDBG_SINGLESTEP : 0);
	return kvm_ioctl_try(gdb.vcpu->fd, KVM_SET_GUEST_DEBUG, &dbg);
}

/* The debugger resumes the guest (c, s): back to KVM_RUN. */
#define GDB_RFLAGS_TF (1ULL << 8)

static int gdb_resume(bool step)
{
	char reply[16];

	if (gdb.frame) {        /* back into the kernel's handler: TF */
		struct trapframe tf;

		if (gdb_frame_get(&tf) < 0)
			return gdb_send("E0e") < 0 ? -1 : 1;
		tf.rflags = step ? tf.rflags | GDB_RFLAGS_TF :
				   tf.rflags & ~GDB_RFLAGS_TF;
		if (gdb_frame_put(&tf) < 0)
			return gdb_send("E0e") < 0 ? -1 : 1;
		gdb.frame = 0;
		step = false;
	}
	gdb.step = step;
	if (gdb_apply_debug() < 0) {
		snprintf(reply, sizeof(reply), "E%02x", errno & 0xff);
		vmm_err("gdb: KVM_SET_GUEST_DEBUG: %s", strerror(errno));
		gdb.step = false;
		return gdb_send(reply) < 0 ? -1 : 1;
	}
	gdb_io = 0;
	gdb.vcpu->run->immediate_exit = 0;
	gdb_running = 1;
	return 0;
}

/* The debugger is gone: let the guest run on without it. */
static void gdb_drop(const char *why)
{
	vmm_info("gdb: %s; the guest runs on", why);
	close(gdb.fd);
	gdb.fd = -1;
	memset(gdb.bp_on, 0, sizeof(gdb.bp_on));
	gdb.step = false;
	gdb_apply_debug();
	gdb.vcpu->run->immediate_exit = 0;
}

int gdb_stop(int sig)
{
	char reply[32];
	int r;

	gdb_running = 0;
	gdb.last_sig = sig;
	if (gdb.fd < 0)
		return VMM_CONTINUE;
	if (gdb.announce) {
		if (gdb.why)
			snprintf(reply, sizeof(reply), "T%02x%s:;", sig, gdb.why);
		else
			snprintf(reply, sizeof(reply), "S%02x", sig);
		gdb.why = NULL;
		if (gdb_send(reply) < 0)
			goto gone;
	}
	gdb.announce = true;
	for (;;) {
		if (gdb_recv() < 0)
			goto gone;
		r = gdb_command(gdb.pkt);
		if (r == GDB_CMD_RESUME || r == GDB_CMD_STEP) {
			int s = gdb_resume(r == GDB_CMD_STEP);

			if (s == 0)
				return VMM_CONTINUE;
			if (s < 0)
				goto gone;
			continue;
		}
		if (r == GDB_CMD_DETACH) {
			gdb_send("OK");
			gdb_drop("the debugger detached");
			return VMM_CONTINUE;
		}
		if (r == GDB_CMD_KILL) {
			vmm_err("gdb: the debugger killed the guest");
			close(gdb.fd);
			gdb.fd = -1;
			return VMM_EXIT_KILLED;
		}
		if (r < 0)
			goto gone;
	}
gone:
	if (timeout_expired()) {
		close(gdb.fd);
		gdb.fd = -1;
		return VMM_EXIT_TIMEOUT;
	}
	gdb_drop("the debugger hung up");
	return VMM_CONTINUE;
}

/* KVM_EXIT_DEBUG: #DB from DR0-DR3 (DR6.B0-B3) or the single step. */
int gdb_debug_exit(struct vcpu *vcpu)
{
	struct kvm_debug_exit_arch *d = &vcpu->run->debug.arch;

	gdb.step = false;
	gdb.why = d->exception == 1 && (d->dr6 & 0xf) ? "hwbreak" : NULL;
	return gdb_stop(GDB_SIGTRAP);
}

int gdb_interrupted(struct vcpu *vcpu, bool *handled)
{
	struct pollfd p;
	bool stop = false;
	unsigned char c;

	(void)vcpu;
	*handled = false;
	if (gdb.fd < 0 || !gdb_io)
		return VMM_CONTINUE;
	gdb_io = 0;
	vcpu->run->immediate_exit = 0;
	p = (struct pollfd){ .fd = gdb.fd, .events = POLLIN };
	/* Ctrl-C is a lone 0x03; anything else while running is a
	 * protocol error and dropped */
	while (poll(&p, 1, 0) == 1 && (p.revents & (POLLIN | POLLHUP))) {
		ssize_t n = read(gdb.fd, &c, 1);

		if (n <= 0) {
			gdb_drop("the debugger hung up");
			*handled = true;
			return VMM_CONTINUE;
		}
		stop |= c == 0x03;
	}
	if (!stop) {
		gdb_running = 1;
		return VMM_CONTINUE;
	}
	*handled = true;
	return gdb_stop(GDB_SIGINT);
}

int gdb_frame_get(struct trapframe *tf)
{
	return gdb_read_va(gdb.frame, tf, sizeof(*tf)) == sizeof(*tf) ? 0 : -1;
}

int gdb_frame_put(const struct trapframe *tf)
{
	return gdb_write_va(gdb.frame, tf, sizeof(*tf)) == sizeof(*tf) ? 0 : -1;
}

int gdb_debug_trap(struct vcpu *vcpu, uint64_t va, int64_t *taken)
{
	struct trapframe tf;

	*taken = 0;
	if (gdb.fd < 0)
		return VMM_CONTINUE;
	gdb.frame = va;
	if (gdb_frame_get(&tf) < 0) {
		vmm_err("gdb: the kernel's trapframe at 0x%llx is unreadable",
			(unsigned long long)va);
		gdb.frame = 0;
		return VMM_CONTINUE;
	}
	gdb.why = NULL;
	if (tf.vector == 3) {           /* int3 traps: rip is after it */
		for (int i = 0; i < GDB_NBP; i++)
			if (gdb.bp_on[i] && gdb.sw_bp && gdb.bp[i] + 1 == tf.rip) {
				tf.rip = gdb.bp[i];
				gdb.why = "swbreak";
			}
	} else {                        /* #DB: the step we asked for */
		tf.rflags &= ~GDB_RFLAGS_TF;
	}
	if (gdb_frame_put(&tf) < 0) {
		gdb.frame = 0;
		return VMM_CONTINUE;
	}
	(void)vcpu;
	*taken = 1;
	return gdb_stop(GDB_SIGTRAP);
}

void gdb_finish(int status)
{
	char reply[8];

	gdb_running = 0;
	if (gdb.fd < 0)
		return;
	snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
	gdb_send(reply);
	close(gdb.fd);
	gdb.fd = -1;
}
