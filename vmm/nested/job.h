/*
 * job.h: what the host side of the nested host (nested_run.c) and its
 * PID 1 (init.c) say to each other over virtio-serial ports.
 *
 * Ports, named by the host (QEMU virtserialport name=):
 *   NESTED_PORT_JOB     host -> guest: one job record; later NESTED_ACK
 *   NESTED_PORT_STDOUT  guest -> host: the job's standard output, raw
 *   NESTED_PORT_STDERR  guest -> host: the job's standard error, raw
 *   NESTED_PORT_STATUS  guest -> host: one status line, written once the
 *                       job has exited and its output pipes are closed
 *                       (processes it left holding them are killed)
 *
 * The end: the status line says how many bytes each stream carried.  The
 * host answers NESTED_ACK once it has received them all, and only then
 * does the guest power off; QEMU holds back output a slow reader has not
 * taken yet, and a machine that stops loses it.
 *
 * Job record: the 4 bytes "NJB1", the body's length as 16 hex digits,
 * then the body: NUL-terminated strings
 *   cwd, argc (decimal), argv[0..argc-1], envc (decimal), envp[0..envc-1]
 *
 * Status line: "exit N OUT ERR\n" (N = exit status) or "signal S OUT
 * ERR\n", OUT and ERR the byte counts of stdout and stderr.  It travels
 * on its own port, so nothing the job prints can be mistaken for it; no
 * line means the nested host failed before the job ended.
 */
#ifndef VMM_NESTED_JOB_H
#define VMM_NESTED_JOB_H

#include <stddef.h>

#define NESTED_PORT_JOB    "org.kvmmm.job"
#define NESTED_PORT_STDOUT "org.kvmmm.stdout"
#define NESTED_PORT_STDERR "org.kvmmm.stderr"
#define NESTED_PORT_STATUS "org.kvmmm.status"

/* The job could not be started in the nested host (like env(1)). */
#define NESTED_EXIT_EXEC 126

#define NESTED_JOB_MAGIC "NJB1"
#define NESTED_JOB_HDR   (4 + 16)
#define NESTED_JOB_MAX   (16u << 20)    /* a whole record, at most */
#define NESTED_STATUS_MAX 96
#define NESTED_ACK       "ack\n"

struct nested_job {
	char  *cwd;
	char **argv;    /* NULL-terminated, argc >= 1 */
	char **envp;    /* NULL-terminated */
};

/*
 * nested_job_encode: the record for cwd, argv and envp (both
 * NULL-terminated) in a malloc'ed buffer; *len gets its size.  NULL when
 * out of memory.
 */
char *nested_job_encode(const char *cwd, char *const argv[],
			char *const envp[], size_t *len);

/* Does buf[0..n) hold a whole record (and maybe more)?  A header that
 * announces more than NESTED_JOB_MAX never does. */
int nested_job_complete(const char *buf, size_t n);

/*
 * nested_job_parse: split a whole record in place; job's arrays are
 * malloc'ed and point into buf.  Returns 0, or -1 when the record is
 * malformed (no argv, counts that do not match, strings past the end).
 */
int nested_job_parse(char *buf, size_t n, struct nested_job *job);

/* The status line for a wait(2) status and the streams' byte counts. */
void nested_status_format(char *buf, size_t len, int wstatus,
			  unsigned long long out, unsigned long long err);

/*
 * nested_status_parse: the exit status a shell would report for a status
 * line: N for "exit N ...", 128 + S for "signal S ...", and the byte
 * counts in out[0] (stdout) and out[1] (stderr).  -1 when the text is not
 * one whole status line.
 */
int nested_status_parse(const char *text, size_t n, int *signo,
			unsigned long long count[2]);

#endif /* VMM_NESTED_JOB_H */
