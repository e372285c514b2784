/*
 * test_nested.c: the nested host's job record and status line
 * (vmm/nested/job.c) and the choice of host (vmm/nested/host.c), without
 * QEMU.  The nested host itself is tested by
 * tests/integration/test_nested.c.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/unit_main.h"
#include "vmm/nested/host.h"
#include "vmm/nested/job.h"

START_TEST(job_round_trip)
{
	char *argv[] = { "build/vmm", "-t", "", "a b", "--", NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", "EMPTY=", "X=1=2", NULL };
	struct nested_job job;
	size_t len;
	char *rec = nested_job_encode("/work/dir with space", argv, envp, &len);

	ck_assert_ptr_nonnull(rec);
	ck_assert(nested_job_complete(rec, len));
	ck_assert_int_eq(nested_job_parse(rec, len, &job), 0);
	ck_assert_str_eq(job.cwd, "/work/dir with space");
	for (int i = 0; argv[i]; i++)
		ck_assert_str_eq(job.argv[i], argv[i]);
	ck_assert_ptr_null(job.argv[5]);
	for (int i = 0; envp[i]; i++)
		ck_assert_str_eq(job.envp[i], envp[i]);
	ck_assert_ptr_null(job.envp[3]);
	free(job.argv);
	free(job.envp);
	free(rec);
}
END_TEST

/* A record arrives in pieces: whole only with its last byte. */
START_TEST(job_complete_only_when_whole)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	size_t len;
	char *rec = nested_job_encode("/", argv, envp, &len);

	ck_assert_ptr_nonnull(rec);
	for (size_t n = 0; n < len; n++)
		ck_assert_msg(!nested_job_complete(rec, n),
			      "complete after %zu of %zu bytes", n, len);
	ck_assert(nested_job_complete(rec, len));
	free(rec);
}
END_TEST

/* Every damaged record is refused, never read past its end. */
START_TEST(job_malformed_refused)
{
	char *argv[] = { "sh", "-c", "exit 3", NULL };
	char *envp[] = { "A=B", NULL };
	struct nested_job job;
	size_t len;
	char *rec = nested_job_encode("/tmp", argv, envp, &len);
	char *copy = malloc(len + 64);

	ck_assert_ptr_nonnull(rec);
	/* bad magic */
	memcpy(copy, rec, len);
	copy[0] = 'X';
	ck_assert_int_eq(nested_job_parse(copy, len, &job), -1);
	/* truncated body */
	memcpy(copy, rec, len);
	ck_assert_int_eq(nested_job_parse(copy, len - 1, &job), -1);
	/* argc larger than the strings there */
	memcpy(copy, rec, len);
	copy[NESTED_JOB_HDR + strlen("/tmp") + 1] = '9';
	ck_assert_int_eq(nested_job_parse(copy, len, &job), -1);
	/* a string without its NUL at the end of the body */
	memcpy(copy, rec, len);
	copy[len - 1] = 'x';
	ck_assert_int_eq(nested_job_parse(copy, len, &job), -1);
	/* argc 0: nothing to run */
	{
		char *none[] = { NULL };
		size_t n;
		char *r0 = nested_job_encode("/", none, envp, &n);

		ck_assert_int_eq(nested_job_parse(r0, n, &job), -1);
		free(r0);
	}
	/* a header announcing more than NESTED_JOB_MAX is never whole */
	memcpy(copy, rec, NESTED_JOB_HDR);
	memcpy(copy + 4, "ffffffffffffffff", 16);
	ck_assert(!nested_job_complete(copy, NESTED_JOB_HDR));
	memcpy(copy + 4, "0000000001000000", 16);
	ck_assert(!nested_job_complete(copy, NESTED_JOB_HDR));
	/* every truncation of a good record */
	for (size_t n = 0; n < len; n++) {
		memcpy(copy, rec, len);
		ck_assert_int_eq(nested_job_parse(copy, n, &job), -1);
	}
	free(copy);
	free(rec);
}
END_TEST

static unsigned long long counts[2];

static int status_of(const char *text, int *signo)
{
	return nested_status_parse(text, strlen(text), signo, counts);
}

START_TEST(status_round_trip)
{
	char line[64];
	int sig;

	/* real wait statuses from real children */
	for (int code = 0; code < 256; code += 51) {
		pid_t pid = fork();
		int ws;

		if (pid == 0)
			_exit(code);
		waitpid(pid, &ws, 0);
		nested_status_format(line, sizeof(line), ws, code * 1000ULL,
				     ~0ULL);
		ck_assert_int_eq(status_of(line, &sig), code);
		ck_assert_int_eq(sig, 0);
		ck_assert_uint_eq(counts[0], code * 1000ULL);
		ck_assert_uint_eq(counts[1], ~0ULL);
	}
	{
		pid_t pid = fork();
		int ws;

		if (pid == 0) {
			raise(SIGKILL);
			_exit(0);
		}
		waitpid(pid, &ws, 0);
		nested_status_format(line, sizeof(line), ws, 0, 12);
		ck_assert_str_eq(line, "signal 9 0 12\n");
		ck_assert_int_eq(status_of(line, &sig), 137);
		ck_assert_int_eq(sig, 9);
		ck_assert_uint_eq(counts[0], 0);
		ck_assert_uint_eq(counts[1], 12);
	}
}
END_TEST

START_TEST(status_malformed_refused)
{
	static const char *const bad[] = {
		"", "exit 0 0 0", "exit\n", "exit \n", "exit 0\n",
		"exit 0 0\n", "exit 0 0 0 0\n", "exit 256 0 0\n",
		"exit -1 0 0\n", "exit +1 0 0\n", "exit 1x 0 0\n",
		"exit 1 -2 0\n", "exit 1 0 18446744073709551616\n",
		"exit  1 0 0\n", " exit 1 0 0\n", "exit 1 0 0 \n",
		"exit 1 0 0\nexit 2 0 0\n", "signal 0 0 0\n",
		"signal 128 0 0\n", "quit 1 0 0\n", "exit 1 0 0\n\n",
		"hello from ring 3\n",
	};
	int sig;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(status_of(bad[i], &sig) == -1,
			      "\"%s\" accepted", bad[i]);
}
END_TEST

/* host_choose with the given KVM_HOST / NESTED_PAGING (NULL: unset). */
static int choose(const char *host, const char *paging, const char *dev,
		  enum host_kind *kind, char *why)
{
	if (host)
		setenv("KVM_HOST", host, 1);
	else
		unsetenv("KVM_HOST");
	if (paging)
		setenv("NESTED_PAGING", paging, 1);
	else
		unsetenv("NESTED_PAGING");
	return host_choose(dev, kind, why, 256);
}

START_TEST(host_auto_follows_the_device)
{
	char dir[] = "/tmp/test_nested.XXXXXX", dev[300], why[256];
	enum host_kind kind;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dev, sizeof(dev), "%s/kvm", dir);
	/* missing: nested, and why names the device */
	ck_assert_int_eq(choose(NULL, NULL, dev, &kind, why), 0);
	ck_assert_int_eq(kind, HOST_QEMU);
	ck_assert_msg(strstr(why, dev) && strstr(why, "No such file"),
		      "why: %s", why);
	ck_assert_int_eq(choose("auto", NULL, dev, &kind, why), 0);
	ck_assert_int_eq(kind, HOST_QEMU);
	/* present and openable: native */
	fd = open(dev, O_CREAT | O_RDWR, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(choose(NULL, NULL, dev, &kind, why), 0);
	ck_assert_int_eq(kind, HOST_NATIVE);
	/* forced either way */
	ck_assert_int_eq(choose("qemu", NULL, dev, &kind, why), 0);
	ck_assert_int_eq(kind, HOST_QEMU);
	ck_assert_str_eq(why, "KVM_HOST=qemu");
	unlink(dev);
	ck_assert_int_eq(choose("native", NULL, dev, &kind, why), 0);
	ck_assert_int_eq(kind, HOST_NATIVE);
	rmdir(dir);
}
END_TEST

START_TEST(host_bad_values_refused)
{
	enum host_kind kind;
	char why[256];

	ck_assert_int_eq(choose("nested", NULL, "/dev/null", &kind, why), -1);
	ck_assert_msg(strstr(why, "KVM_HOST=nested: expected auto, native or "
			     "qemu"), "why: %s", why);
	ck_assert_int_eq(choose(NULL, "ept", "/dev/null", &kind, why), -1);
	ck_assert_msg(strstr(why, "NESTED_PAGING=ept: expected npt or shadow"),
		      "why: %s", why);
	setenv("NESTED_PAGING", "shadow", 1);
	ck_assert(!host_nested_npt());
	setenv("NESTED_PAGING", "npt", 1);
	ck_assert(host_nested_npt());
	unsetenv("NESTED_PAGING");
	ck_assert(host_nested_npt());
}
END_TEST

int main(void)
{
	const struct unit_case cases[] = {
		{ "job_round_trip", job_round_trip, 0 },
		{ "job_complete_only_when_whole", job_complete_only_when_whole, 0 },
		{ "job_malformed_refused", job_malformed_refused, 0 },
		{ "status_round_trip", status_round_trip, 0 },
		{ "status_malformed_refused", status_malformed_refused, 0 },
		{ "host_auto_follows_the_device", host_auto_follows_the_device, 0 },
		{ "host_bad_values_refused", host_bad_values_refused, 0 },
	};

	return unit_run("nested", cases, sizeof(cases) / sizeof(cases[0]),
			NULL, NULL);
}
