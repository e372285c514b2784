/*
 * test_gdb.c: the gdb stub with Debian's gdb in batch mode.  The VMM
 * waits for the debugger; gdb connects with the kernel's symbols, puts a
 * hardware breakpoint on the page-fault handler (conditional on CR2, read
 * through the stub's target description), continues to segv's fault at
 * 0xdead000, reads CR2, has the host walk it (monitor walk), steps one
 * instruction, and continues to the end: segv is killed by SIGSEGV and
 * the kernel exits 139, which gdb sees as the inferior's exit code.
 * A second test feeds the stub malformed and hostile packets.  Both
 * talk TCP on 127.0.0.1, on a port the VMM picks.
 */
#include "test_mm_common.h"
#include "tmpfiles.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/*
 * Start the VMM with --gdb 127.0.0.1:0 (a TCP port it picks: the nested
 * host's root is 9p, which has no Unix sockets); its streams to files in
 * dir.  Copies "127.0.0.1:PORT" from its waiting message into addr.
 */
static pid_t start_vmm(const char *dir, const char *prog, char *addr,
		       size_t cap)
{
	char out[600], err[600], line[512];
	char *argv[] = { (char *)VMM_PATH, (char *)"-t", (char *)"120",
			 (char *)"--gdb", (char *)"127.0.0.1:0",
			 (char *)KERNEL_PATH, (char *)prog, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	snprintf(out, sizeof(out), "%s/vmm.out", dir);
	snprintf(err, sizeof(err), "%s/vmm.err", dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT |
					 O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT |
					 O_TRUNC, 0644);
	ck_assert_msg(posix_spawn(&pid, VMM_PATH, &fa, NULL, argv, environ) == 0,
		      "cannot start %s", VMM_PATH);
	posix_spawn_file_actions_destroy(&fa);
	addr[0] = '\0';
	for (int i = 0; i < 600 && !addr[0]; i++) {
		FILE *f = fopen(err, "r");

		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "vmm: gdb: waiting for the debugger on "
				   "%127s", addr) == 1)
				break;
		if (f)
			fclose(f);
		if (!addr[0])
			usleep(50 * 1000);
	}
	(void)cap;
	ck_assert_msg(addr[0], "the VMM never said where it listens (see %s)",
		      err);
	return pid;
}

static int wait_vmm(pid_t pid)
{
	int st;

	for (int i = 0; i < 1200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		usleep(100 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -2;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	static char buf[65536];
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strdup(buf);
}

START_TEST(gdb_breaks_on_the_fault_and_walks_cr2)
{
	char *dir = tmp_dir(), sock[128], cmd[2048], log[600];
	char *text;
	pid_t vmm;
	int rc, st;

	snprintf(log, sizeof(log), "%s/gdb.log", dir);
	vmm = start_vmm(dir, PROG("segv"), sock, sizeof(sock));
	snprintf(cmd, sizeof(cmd),
		 "timeout 300 gdb -nx -batch -ex 'set pagination off' "
		 "-ex 'target remote %s' "
		 "-ex 'hbreak trap_pf if $cr2 == 0xdead000' "
		 "-ex continue -ex 'printf \"CR2=%%#lx\\n\", $cr2' "
		 "-ex 'eval \"monitor walk %%#lx\", $cr2' "
		 "-ex 'monitor regs' -ex 'printf \"RIP0=%%#lx\\n\", $rip' "
		 "-ex stepi -ex 'printf \"RIP1=%%#lx\\n\", $rip' "
		 "-ex delete -ex continue %s > %s 2>&1",
		 sock, KERNEL_PATH, log);
	st = system(cmd);
	rc = wait_vmm(vmm);
	text = slurp(log);
	ck_assert_msg(text != NULL, "no gdb log");
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "gdb failed (status %d):\n%s", st, text);
	ck_assert_msg(strstr(text, "Breakpoint 1, trap_pf"),
		      "gdb did not stop in trap_pf:\n%s", text);
	ck_assert_msg(strstr(text, "CR2=0xdead000"),
		      "CR2 is not segv's address:\n%s", text);
	ck_assert_msg(strstr(text, "walk VA 0xdead000 from root"),
		      "no host walk of CR2:\n%s", text);
	ck_assert_msg(strstr(text, "cr2 0xdead000"),
		      "monitor regs does not show CR2:\n%s", text);
	ck_assert_msg(strstr(text, "RIP0=") && strstr(text, "RIP1=") &&
		      strcmp(strstr(text, "RIP0=") + 5,
			     strstr(text, "RIP1=") + 5) != 0,
		      "stepi did not move rip:\n%s", text);
	ck_assert_msg(strstr(text, "exited with code 0213"),
		      "gdb did not see the guest exit with 139:\n%s", text);
	ck_assert_msg(rc == 139, "the VMM exited %d, expected 139 (segv's "
		      "SIGSEGV)", rc);
	free(text);
	tmp_dir_remove(dir);
}
END_TEST

/* A TCP connection to the stub at "127.0.0.1:PORT". */
static int connect_stub(const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned port = 0;
	int fd;

	ck_assert_msg(sscanf(addr, "127.0.0.1:%u", &port) == 1, "address %s",
		      addr);
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_msg(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
		      "cannot connect to %s", addr);
	return fd;
}

/* Send raw bytes on the socket; read whatever comes back for a moment. */
static void send_raw(int fd, const char *bytes, size_t len)
{
	char junk[4096];

	ck_assert_msg(write(fd, bytes, len) == (ssize_t)len, "write failed");
	usleep(100 * 1000);
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
}

/* Packets a fuzzer would send: bad checksums, bad hex, lengths past any
 * buffer, numbers past 64 bits, unknown commands, a packet longer than
 * the stub's buffer, and binary noise.  The VMM must neither crash nor
 * hang: after all of it a well-formed "k" still kills the guest (137). */
START_TEST(gdb_survives_hostile_packets)
{
	static const char *const pkts[] = {
		"$g#00", "$m#6d", "$mffffffffffffffffff,1#00",
		"$m0,ffffffffffffffff", "$M0,10:zz", "$M0,ffffffff:00",
		"$Z1,0,0,0,0", "$Z5,0,1", "$p999", "$P0=1", "$Gzz",
		"$qXfer:features:read:target.xml:ffffffffffffffff,1",
		"$qXfer:features:read:other.xml:0,10", "$qRcmd,7a7", "$qRcmd,",
		"$vCont;c", "$X0,1:\x01", "}}}}", "#####", "\x03\x03",
	};
	char *dir = tmp_dir(), addr[128], big[6000];
	pid_t vmm;
	int fd, rc;

	vmm = start_vmm(dir, PROG("hello"), addr, sizeof(addr));
	fd = connect_stub(addr);
	for (size_t i = 0; i < sizeof(pkts) / sizeof(pkts[0]); i++) {
		char buf[200];
		unsigned sum = 0;
		const char *p = pkts[i];

		if (p[0] == '$' && !strchr(p, '#')) {   /* frame it right */
			for (const char *q = p + 1; *q; q++)
				sum += (unsigned char)*q;
			snprintf(buf, sizeof(buf), "%s#%02x", p, sum & 0xff);
			p = buf;
		}
		send_raw(fd, p, strlen(p));
	}
	memset(big, 'a', sizeof(big));
	big[0] = '$';
	send_raw(fd, big, sizeof(big));
	send_raw(fd, "#00", 3);
	send_raw(fd, "$k#6b", 5);
	close(fd);
	rc = wait_vmm(vmm);
	ck_assert_msg(rc == 137, "the VMM exited %d after the hostile "
		      "packets, expected 137 (killed by the debugger)", rc);
	tmp_dir_remove(dir);
}
END_TEST

/* Ctrl-C: continue a guest that loops forever, send 0x03, and the stub
 * must report a stop (SIGINT, "S02") while the guest is still running;
 * then kill it. */
START_TEST(gdb_ctrl_c_stops_a_running_guest)
{
	char *dir = tmp_dir(), addr[128], reply[4096];
	size_t got = 0;
	pid_t vmm;
	int fd, rc;

	vmm = start_vmm(dir, PROG("spin"), addr, sizeof(addr));
	fd = connect_stub(addr);
	send_raw(fd, "$c#63", 5);       /* run (its ack is drained) */
	sleep(1);                       /* spin is looping now */
	ck_assert_msg(write(fd, "\x03", 1) == 1, "write failed");
	for (int i = 0; i < 300 && !memmem(reply, got, "$S02", 4); i++) {
		ssize_t n = recv(fd, reply + got, sizeof(reply) - 1 - got,
				 MSG_DONTWAIT);

		if (n > 0)
			got += (size_t)n;
		else
			usleep(100 * 1000);
	}
	reply[got] = '\0';
	ck_assert_msg(memmem(reply, got, "$S02", 4) != NULL, "no stop reply "
		      "after Ctrl-C (got \"%s\")", reply);
	send_raw(fd, "+$k#6b", 6);
	close(fd);
	rc = wait_vmm(vmm);
	ck_assert_msg(rc == 137, "the VMM exited %d, expected 137", rc);
	tmp_dir_remove(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("integration_gdb");

	itest_add(s, "gdb_breaks_on_the_fault_and_walks_cr2",
		  gdb_breaks_on_the_fault_and_walks_cr2);
	itest_add(s, "gdb_survives_hostile_packets",
		  gdb_survives_hostile_packets);
	itest_add(s, "gdb_ctrl_c_stops_a_running_guest",
		  gdb_ctrl_c_stops_a_running_guest);
	return itest_main(s);
}
